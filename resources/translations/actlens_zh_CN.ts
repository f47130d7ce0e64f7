<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ActivationEditor</name>
    <message>
        <source>Activation to add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Add</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Remove</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move up</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Move down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>or type a spec, e.g. elu(alpha=0.5)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>At most {0} activations; remove one first.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>DataPrompt</name>
    <message>
        <source>Open Recent Data Folder</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} is not loaded. Choose it again under Dataset to download it, or use &apos;Change data folder…&apos;.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder holding the data set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No data folder given.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The data folder {0} does not exist.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} is a file, not a folder: choose the folder that holds the data set.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} is not a valid folder path.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} is no longer there; it was removed from the recent data folders.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No data folders yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} (image folder)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Docks</name>
    <message>
        <source>Inspector</source>
        <translation>检查器</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
</context>
<context>
    <name>Drops</name>
    <message>
        <source>Drop one file or folder at a time ({0} were dropped).</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} cannot be opened: it is not there.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} cannot be opened here: drop an image folder, a module file (.py), network weights (.pt, .pth) or a training run&apos;s run.json.</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>unexpected error: {0}: {1}</source>
        <translation>意外错误:{0}:{1}</translation>
    </message>
</context>
<context>
    <name>ExportDialog</name>
    <message>
        <source>Export to TensorBoard</source>
        <translation>导出到 TensorBoard</translation>
    </message>
    <message>
        <source>Which batches</source>
        <translation>导出哪些批次</translation>
    </message>
    <message>
        <source>Batches visited in this session ({0})</source>
        <translation>本次会话浏览过的批次({0})</translation>
    </message>
    <message>
        <source>All batches of the split ({0})</source>
        <translation>该划分的全部批次({0})</translation>
    </message>
    <message>
        <source>Range:</source>
        <translation>范围:</translation>
    </message>
    <message>
        <source>A:B (B exclusive) or a list like 0,5,9</source>
        <translation>A:B(不含 B)或列表,如 0,5,9</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>Also write value histograms</source>
        <translation>同时写入数值直方图</translation>
    </message>
    <message>
        <source>Log dir</source>
        <translation>日志目录</translation>
    </message>
    <message>
        <source>Run name</source>
        <translation>运行名称</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>复制</translation>
    </message>
    <message>
        <source>Open in TensorBoard</source>
        <translation>在 TensorBoard 中打开</translation>
    </message>
    <message>
        <source>Export</source>
        <translation>导出</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Exporting to {0} …</source>
        <translation>正在导出到 {0} …</translation>
    </message>
    <message>
        <source>TensorBoard shows 10 steps per tag unless started with {0}:</source>
        <translation>TensorBoard 默认每个标签只显示 10 步,除非启动时加上 {0}:</translation>
    </message>
    <message>
        <source>View it with:</source>
        <translation>用以下命令查看:</translation>
    </message>
    <message>
        <source> (a run of its own: the folder held an export)</source>
        <translation>(单独的一次运行:该文件夹已有导出)</translation>
    </message>
    <message>
        <source>Cancelled; kept {0} step(s) ({1}) to {2}{3}.</source>
        <translation>已取消;保留了 {0} 步({1}),位于 {2}{3}。</translation>
    </message>
    <message>
        <source>Exported {0} step(s) ({1}) to {2}{3}.</source>
        <translation>已导出 {0} 步({1})到 {2}{3}。</translation>
    </message>
    <message>
        <source>Close</source>
        <translation>关闭</translation>
    </message>
    <message>
        <source>Export again</source>
        <translation>再次导出</translation>
    </message>
    <message>
        <source>Export cancelled; nothing was written.</source>
        <translation>导出已取消;未写入任何内容。</translation>
    </message>
    <message>
        <source>Export failed: {0}</source>
        <translation>导出失败:{0}</translation>
    </message>
    <message>
        <source>Cancelling after the current step…</source>
        <translation>当前步完成后取消…</translation>
    </message>
    <message>
        <source>Log directory</source>
        <translation>日志目录</translation>
    </message>
</context>
<context>
    <name>HistogramTab</name>
    <message>
        <source>Log counts</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>raw value</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>count</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>output</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Panel</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>log10(count + 1)</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>MissingDataDialog</name>
    <message>
        <source>Data set not found</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}

Download it into {1} (about 163 MB for CIFAR-10), or choose a folder that already holds it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Download</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Choose a folder…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Folder holding the data set</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0:.1f} of {1:.1f} MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0:.1f} MB</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ModelFiles</name>
    <message>
        <source>Open module…</source>
        <translation>打开模块…</translation>
    </message>
    <message>
        <source>Open Recent Module</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Open a module file</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Python files</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Opening a module file runs its Python code, with your permissions, like &lt;tt&gt;python FILE.py&lt;/tt&gt; would. Open only files you trust.&lt;br&gt;&lt;br&gt;Activation Lens never reopens a module file by itself: the next time, pick it again here or under File → Open Recent Module.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No module files yet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Weights of the network: a state dict, or a training run&apos;s run.json</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PyTorch weights or training runs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>All files</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>NavigationBar</name>
    <message>
        <source>Navigation</source>
        <translation>导航</translation>
    </message>
    <message>
        <source>◀ Previous</source>
        <translation>◀ 上一批</translation>
    </message>
    <message>
        <source>Previous batch (Left)</source>
        <translation>上一批次(←)</translation>
    </message>
    <message>
        <source>Next ▶</source>
        <translation>下一批 ▶</translation>
    </message>
    <message>
        <source>Next batch (Right)</source>
        <translation>下一批次(→)</translation>
    </message>
    <message>
        <source>Batch </source>
        <translation>批次 </translation>
    </message>
    <message>
        <source> of –</source>
        <translation> / –</translation>
    </message>
    <message>
        <source>Fit</source>
        <translation>适应窗口</translation>
    </message>
    <message>
        <source>Fit the panels to the window (Ctrl+0)</source>
        <translation>让面板适应窗口大小(Ctrl+0)</translation>
    </message>
    <message>
        <source>One screen pixel per image pixel (Ctrl+1)</source>
        <translation>一个屏幕像素对应一个图像像素(Ctrl+1)</translation>
    </message>
    <message>
        <source> of {0}</source>
        <translation> / {0}</translation>
    </message>
</context>
<context>
    <name>PanelCard</name>
    <message>
        <source>Identical to input: this activation changes nothing on these values.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Try:</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Switch the preprocessing to {0}, which feeds signed values</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Input</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}
TensorBoard tag: {1} · display: {2}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>ParamForm</name>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>No parameters.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0}
Allowed: {1}
Default: {2}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>logarithmic slider</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>slider: linear within ±1, logarithmic beyond</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>PixelTab</name>
    <message>
        <source>Click an image in any panel to inspect it.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>×</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom of every enlarged view (they zoom together)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source> (pinned; click again to follow the cursor)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Image #{0} ({1}), pixel y={2} x={3}{4}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>input pixel (uint8)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} (raw)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>input (preprocessed)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>R</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>G</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>B</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>grey</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} · map {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>map {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SaveActions</name>
    <message>
        <source>Save view as PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save each panel as PNG…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save statistics (CSV or JSON)…</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copy view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>The panels as they look, as one image on the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save view</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>PNG image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Nothing to copy yet: load a batch first.</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Copied the view ({0} × {1} pixels) to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Folder for the panel PNGs</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>{0} PNGs in {1}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Save statistics</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Could not save {0}</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>SessionForm</name>
    <message>
        <source>Activations on the pixels</source>
        <translation>作用于像素的激活函数</translation>
    </message>
    <message>
        <source>The exercise: each activation applied to the preprocessed images</source>
        <translation>原练习:将每个激活函数作用于预处理后的图像</translation>
    </message>
    <message>
        <source>Inside a small CNN</source>
        <translation>小型 CNN 内部</translation>
    </message>
    <message>
        <source>conv 3→16 → act → avgpool → conv 16→32 → act → avgpool → linear 10: the feature maps before and after each activation</source>
        <translation>卷积 3→16 → 激活 → 平均池化 → 卷积 16→32 → 激活 → 平均池化 → 线性 10:每个激活函数前后的特征图</translation>
    </message>
    <message>
        <source>Your own module</source>
        <translation>你自己的模块</translation>
    </message>
    <message>
        <source>A Python file defining an nn.Module: each image-shaped output is a panel</source>
        <translation>定义 nn.Module 的 Python 文件:每个图像形状的输出是一个面板</translation>
    </message>
    <message>
        <source>Each activation applied to the preprocessed pixels, as in the exercise.</source>
        <translation>与原练习相同:将每个激活函数作用于预处理后的像素。</translation>
    </message>
    <message>
        <source>Feature maps of the image you click in the input panel, before and after the activation (16 maps of conv1, 32 of conv2). The network pools by averages: max pooling is itself non-linear and would hide what the activation does.</source>
        <translation>在输入面板中点击的图像的特征图,分别为激活前和激活后(conv1 有 16 张,conv2 有 32 张)。网络使用平均池化:最大池化本身是非线性的,会掩盖激活函数的作用。</translation>
    </message>
    <message>
        <source>Each image-shaped output of your module&apos;s forward, and the outputs of its activation layers. Opening a file runs its code. Click an image in the input panel to see its channels where an output has more than 3.</source>
        <translation>你的模块 forward 的每个图像形状的输出,以及其激活层的输出。打开文件会运行其中的代码。输出超过 3 个通道时,点击输入面板中的图像可查看各通道。</translation>
    </message>
    <message>
        <source>Image folders: images are resized and centre-cropped to this square size</source>
        <translation>图像文件夹:图像会缩放并居中裁剪为此边长的正方形</translation>
    </message>
    <message>
        <source>20 superclasses (coarse labels)</source>
        <translation>20 个超类(粗粒度标签)</translation>
    </message>
    <message>
        <source>Shuffle, seed</source>
        <translation>打乱顺序,种子</translation>
    </message>
    <message>
        <source>Show the images in a random order; the same seed gives the same order</source>
        <translation>以随机顺序显示图像;相同的种子给出相同的顺序</translation>
    </message>
    <message>
        <source>Change data folder…</source>
        <translation>更改数据文件夹…</translation>
    </message>
    <message>
        <source>Load weights…</source>
        <translation>加载权重…</translation>
    </message>
    <message>
        <source>A state dict file of this network (torch.save), loaded with weights_only=True</source>
        <translation>此网络的 state dict 文件(torch.save 保存),以 weights_only=True 加载</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Seeded random weights: the same for every activation</source>
        <translation>由种子生成的随机权重:每个激活函数都相同</translation>
    </message>
    <message>
        <source>Seed of the random weights</source>
        <translation>随机权重的种子</translation>
    </message>
    <message>
        <source>Open module…</source>
        <translation>打开模块…</translation>
    </message>
    <message>
        <source>View</source>
        <translation>视图</translation>
    </message>
    <message>
        <source>Show</source>
        <translation>显示</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Data</source>
        <translation>数据</translation>
    </message>
    <message>
        <source>Dataset</source>
        <translation>数据集</translation>
    </message>
    <message>
        <source>Split</source>
        <translation>划分</translation>
    </message>
    <message>
        <source>Batch size</source>
        <translation>批大小</translation>
    </message>
    <message>
        <source>Image size</source>
        <translation>图像尺寸</translation>
    </message>
    <message>
        <source>Session</source>
        <translation>会话</translation>
    </message>
    <message>
        <source>Preprocess</source>
        <translation>预处理</translation>
    </message>
    <message>
        <source>Display</source>
        <translation>显示方式</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Activations</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>Your own module brings its own activations</source>
        <translation>你自己的模块自带激活函数</translation>
    </message>
    <message>
        <source>Data folder: {0}</source>
        <translation>数据文件夹:{0}</translation>
    </message>
    <message>
        <source>Weights: {0} (loaded; the seed is not used)</source>
        <translation>权重:{0}(已加载;不使用种子)</translation>
    </message>
    <message>
        <source>Weights: seeded random (seed {0}), the same for every activation. Not trained: the maps show what each activation does to the same convolutions.</source>
        <translation>权重:由种子生成的随机权重(种子 {0}),每个激活函数都相同。未经训练:特征图展示的是每个激活函数对相同卷积的作用。</translation>
    </message>
    <message>
        <source>Module: {0}</source>
        <translation>模块:{0}</translation>
    </message>
    <message>
        <source>No module file open.</source>
        <translation>未打开模块文件。</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Left / Right</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>previous / next batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Page Up / Page Down</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>10 batches back / forward</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Home / End</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>first / last batch</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl + wheel, Ctrl + = / -</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>zoom every panel in / out (class names from 200%)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl + 0</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>fit the panels to the window</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl + 1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>one screen pixel per image pixel (1:1)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl + I</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>show or hide the inspector</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl + T</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>show or hide the training dock</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl + M</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>open a module file (runs its code)</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl + S</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>save the view as PNG</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl + Shift + C</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>copy the view to the clipboard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl + E</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>export to TensorBoard</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl + ,</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>preferences: data folder, device, language</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>drag and drop</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>a folder: image folder; .py: module; .pt, .pth, run.json: network weights</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>click an image</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>inspect it; in a network or module view, show its maps</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>F1</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>this sheet</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Ctrl + Q</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>quit</source>
        <translation type="unfinished"></translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation type="unfinished"></translation>
    </message>
</context>
<context>
    <name>Status</name>
    <message>
        <source> · data loaded in {0} ms</source>
        <translation> · 数据加载 {0} ms</translation>
    </message>
    <message>
        <source> · image #{0}</source>
        <translation> · 图像 #{0}</translation>
    </message>
    <message>
        <source>Batch {0} of {1} (0–{2}) · images {3}–{4} of {5}{6} · input range {7} · {8} · engine {9} ms · paint {10} ms</source>
        <translation>批次 {0} / {1}(0–{2})· 图像 {3}–{4} / {5}{6} · 输入范围 {7} · {8} · 计算 {9} ms · 绘制 {10} ms</translation>
    </message>
    <message>
        <source>Device failure</source>
        <translation>设备故障</translation>
    </message>
    <message>
        <source>{0}.

Continue on the CPU?</source>
        <translation>{0}。

改用 CPU 继续吗?</translation>
    </message>
</context>
<context>
    <name>TensorBoardLauncher</name>
    <message>
        <source>Starting TensorBoard at {0} …</source>
        <translation>正在 {0} 启动 TensorBoard …</translation>
    </message>
    <message>
        <source>TensorBoard did not start: {0}</source>
        <translation>TensorBoard 未能启动:{0}</translation>
    </message>
    <message>
        <source>no output</source>
        <translation>无输出</translation>
    </message>
    <message>
        <source>TensorBoard did not answer within 30 s.</source>
        <translation>TensorBoard 在 30 秒内没有响应。</translation>
    </message>
    <message>
        <source>TensorBoard is running at {0} (stopped when you quit)</source>
        <translation>TensorBoard 正在 {0} 运行(退出时停止)</translation>
    </message>
</context>
<context>
    <name>TrainingDock</name>
    <message>
        <source>Without a non-linear activation the network is one linear map, whatever its depth (identity, with average pooling). Each activation&apos;s lead over identity is what non-linearity buys.</source>
        <translation>没有非线性激活函数,无论网络多深,它都只是一个线性映射(identity,配合平均池化)。每个激活函数相对 identity 的领先幅度,就是非线性带来的收益。</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Train on the test split (80/20) even if a train split exists</source>
        <translation>即使存在训练集,也在测试集上训练(80/20 划分)</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>See the trained feature maps</source>
        <translation>查看训练后的特征图</translation>
    </message>
    <message>
        <source>training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>batch</source>
        <translation>批次</translation>
    </message>
    <message>
        <source>held-out accuracy</source>
        <translation>留出集准确率</translation>
    </message>
    <message>
        <source>epoch</source>
        <translation>轮次</translation>
    </message>
    <message>
        <source>activation</source>
        <translation>激活函数</translation>
    </message>
    <message>
        <source>loss</source>
        <translation>损失</translation>
    </message>
    <message>
        <source>s</source>
        <translation>秒</translation>
    </message>
    <message>
        <source>Epochs</source>
        <translation>轮数</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>Seed</source>
        <translation>种子</translation>
    </message>
    <message>
        <source>Loading the data…</source>
        <translation>正在加载数据…</translation>
    </message>
    <message>
        <source>Cancelling after this batch…</source>
        <translation>本批次完成后取消…</translation>
    </message>
    <message>
        <source>Training: {0}.</source>
        <translation>训练:{0}。</translation>
    </message>
    <message>
        <source>Training {0}: epoch {1}, batch {2} of {3} · {4}.</source>
        <translation>正在训练 {0}:第 {1} 轮,第 {2}/{3} 批 · {4}。</translation>
    </message>
    <message>
        <source> (cancelled)</source>
        <translation>(已取消)</translation>
    </message>
    <message>
        <source>Done: {0}. Weights saved in {1}.</source>
        <translation>完成:{0}。权重已保存到 {1}。</translation>
    </message>
    <message>
        <source>Training stopped: {0}</source>
        <translation>训练已停止:{0}</translation>
    </message>
</context>
<context>
    <name>engine</name>
    <message>
        <source>{n} non-image file ignored</source>
        <translation>已忽略 {n} 个非图像文件</translation>
    </message>
    <message>
        <source>{n} non-image files ignored</source>
        <translation>已忽略 {n} 个非图像文件</translation>
    </message>
    <message>
        <source>{n} special file (pipes, devices) ignored</source>
        <translation>已忽略 {n} 个特殊文件(管道、设备)</translation>
    </message>
    <message>
        <source>{n} special files (pipes, devices) ignored</source>
        <translation>已忽略 {n} 个特殊文件(管道、设备)</translation>
    </message>
    <message>
        <source>{n} folder link that loops back was skipped</source>
        <translation>已跳过 {n} 个循环指回的文件夹链接</translation>
    </message>
    <message>
        <source>{n} folder links that loop back were skipped</source>
        <translation>已跳过 {n} 个循环指回的文件夹链接</translation>
    </message>
    <message>
        <source>{n} folder could not be read</source>
        <translation>{n} 个文件夹无法读取</translation>
    </message>
    <message>
        <source>{n} folders could not be read</source>
        <translation>{n} 个文件夹无法读取</translation>
    </message>
    <message>
        <source>{n} unreadable image shown grey</source>
        <translation>{n} 张无法读取的图像显示为灰色</translation>
    </message>
    <message>
        <source>{n} unreadable images shown grey</source>
        <translation>{n} 张无法读取的图像显示为灰色</translation>
    </message>
    <message>
        <source>{n} image too large to decode safely shown grey</source>
        <translation>{n} 张图像过大、无法安全解码,显示为灰色</translation>
    </message>
    <message>
        <source>{n} images too large to decode safely shown grey</source>
        <translation>{n} 张图像过大、无法安全解码,显示为灰色</translation>
    </message>
    <message>
        <source>empty class folders: {shown} and {more} more</source>
        <translation>空的类别文件夹:{shown} 等,另有 {more} 个</translation>
    </message>
    <message>
        <source>empty class folders: {shown}</source>
        <translation>空的类别文件夹:{shown}</translation>
    </message>
    <message>
        <source>built-in sample: 1,000 CIFAR-10 test images as JPEG copies, not pixel-identical to the official files</source>
        <translation>内置样本:1,000 张 CIFAR-10 测试图像的 JPEG 副本,与官方文件并非逐像素相同</translation>
    </message>
    <message>
        <source>x * 255 clipped to [0, 255], as TensorBoard stores floats (the default)</source>
        <translation>x * 255 截断到 [0, 255],与 TensorBoard 存储浮点数的方式相同(默认)</translation>
    </message>
    <message>
        <source>the batch&apos;s min..max stretched to black..white</source>
        <translation>将本批次的最小值..最大值拉伸为黑..白</translation>
    </message>
    <message>
        <source>0 is mid-grey, -max|x| black, +max|x| white</source>
        <translation>0 为中灰,-max|x| 为黑,+max|x| 为白</translation>
    </message>
    <message>
        <source>each image&apos;s own min..max stretched to black..white</source>
        <translation>将每张图像各自的最小值..最大值拉伸为黑..白</translation>
    </message>
    <message>
        <source>output - input, shown like signed (no change is mid-grey)</source>
        <translation>输出 - 输入,按 signed 方式显示(无变化为中灰)</translation>
    </message>
    <message>
        <source>shown {display}: the input&apos;s values are not pixels in [0, 1]</source>
        <translation>以 {display} 显示:输入的值不是 [0, 1] 内的像素</translation>
    </message>
    <message>
        <source>pixels / 255, in [0, 1] (torchvision&apos;s ToTensor; the default)</source>
        <translation>像素 / 255,取值 [0, 1](torchvision 的 ToTensor;默认)</translation>
    </message>
    <message>
        <source>(pixels / 255 - mean) / std per channel (the data set&apos;s statistics)</source>
        <translation>按通道计算 (像素 / 255 - 均值) / 标准差(数据集的统计量)</translation>
    </message>
    <message>
        <source>pixels / 255 * 2 - 1, in [-1, 1]</source>
        <translation>像素 / 255 * 2 - 1,取值 [-1, 1]</translation>
    </message>
    <message>
        <source>a Laplacian edge filter per channel: signed values, as inside a network</source>
        <translation>逐通道的拉普拉斯边缘滤波:有正有负的值,如同网络内部</translation>
    </message>
    <message>
        <source>min {v}</source>
        <translation>最小 {v}</translation>
    </message>
    <message>
        <source>max {v}</source>
        <translation>最大 {v}</translation>
    </message>
    <message>
        <source>mean {v}</source>
        <translation>均值 {v}</translation>
    </message>
    <message>
        <source>std {v}</source>
        <translation>标准差 {v}</translation>
    </message>
    <message>
        <source>zero {v}</source>
        <translation>零值 {v}</translation>
    </message>
    <message>
        <source>{dead} of {total} channels dead (all zero)</source>
        <translation>{total} 个通道中有 {dead} 个死亡(全为零)</translation>
    </message>
    <message>
        <source>clipped {v} (below {below}, above {above})</source>
        <translation>截断 {v}(低于 {below},高于 {above})</translation>
    </message>
    <message>
        <source>saturated {v}</source>
        <translation>饱和 {v}</translation>
    </message>
    <message>
        <source>NaN {nan}, inf {inf}</source>
        <translation>NaN {nan},inf {inf}</translation>
    </message>
    <message>
        <source>{stuck} of {total} channels saturated</source>
        <translation>{total} 个通道中有 {stuck} 个饱和</translation>
    </message>
    <message>
        <source>clipped {v} (below)</source>
        <translation>截断 {v}(低于下限)</translation>
    </message>
    <message>
        <source>clipped {v} (above)</source>
        <translation>截断 {v}(高于上限)</translation>
    </message>
    <message>
        <source>clipped {v}</source>
        <translation>截断 {v}</translation>
    </message>
    <message>
        <source>trained on the train split ({count} images), held out: the test split</source>
        <translation>在训练集上训练({count} 张图像),留出集:测试集</translation>
    </message>
    <message>
        <source>trained on the first {cut} test images, held out: the last {rest} (no train split used)</source>
        <translation>在前 {cut} 张测试图像上训练,留出集:最后 {rest} 张(未使用训练集)</translation>
    </message>
</context>
</TS>
