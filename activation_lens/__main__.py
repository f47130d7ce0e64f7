"""``python -m activation_lens``: the same as the ``actlens`` command."""

import sys

from activation_lens.gui.launch import main

sys.exit(main())
