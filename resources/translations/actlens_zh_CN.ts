<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="zh_CN">
<context>
    <name>ActivationEditor</name>
    <message>
        <source>Activation to add</source>
        <translation>要添加的激活函数</translation>
    </message>
    <message>
        <source>Add</source>
        <translation>添加</translation>
    </message>
    <message>
        <source>Remove</source>
        <translation>移除</translation>
    </message>
    <message>
        <source>Move up</source>
        <translation>上移</translation>
    </message>
    <message>
        <source>Move down</source>
        <translation>下移</translation>
    </message>
    <message>
        <source>or type a spec, e.g. elu(alpha=0.5)</source>
        <translation>或输入规格，例如 elu(alpha=0.5)</translation>
    </message>
    <message>
        <source>At most {0} activations; remove one first.</source>
        <translation>最多 {0} 个激活函数；请先移除一个。</translation>
    </message>
</context>
<context>
    <name>Choices</name>
    <message>
        <source>to_tensor</source>
        <translation>to_tensor（原样：[0, 1] 的像素）</translation>
    </message>
    <message>
        <source>normalize</source>
        <translation>normalize（按均值和标准差归一化）</translation>
    </message>
    <message>
        <source>centered</source>
        <translation>centered（减去 0.5：有正有负）</translation>
    </message>
    <message>
        <source>edges</source>
        <translation>edges（边缘：与邻近像素之差）</translation>
    </message>
    <message>
        <source>clip</source>
        <translation>clip（×255 后截断到 [0, 255]）</translation>
    </message>
    <message>
        <source>minmax</source>
        <translation>minmax（按整批最小、最大值拉伸）</translation>
    </message>
    <message>
        <source>signed</source>
        <translation>signed（带符号：0 为灰，正亮负暗）</translation>
    </message>
    <message>
        <source>minmax_image</source>
        <translation>minmax_image（逐图最小、最大值拉伸）</translation>
    </message>
    <message>
        <source>difference</source>
        <translation>difference（与输入之差）</translation>
    </message>
    <message>
        <source>test</source>
        <translation>test（测试集）</translation>
    </message>
    <message>
        <source>train</source>
        <translation>train（训练集）</translation>
    </message>
</context>
<context>
    <name>Classes</name>
    <message>
        <source>airplane</source>
        <translation>飞机</translation>
    </message>
    <message>
        <source>automobile</source>
        <translation>汽车</translation>
    </message>
    <message>
        <source>bird</source>
        <translation>鸟</translation>
    </message>
    <message>
        <source>cat</source>
        <translation>猫</translation>
    </message>
    <message>
        <source>deer</source>
        <translation>鹿</translation>
    </message>
    <message>
        <source>dog</source>
        <translation>狗</translation>
    </message>
    <message>
        <source>frog</source>
        <translation>青蛙</translation>
    </message>
    <message>
        <source>horse</source>
        <translation>马</translation>
    </message>
    <message>
        <source>ship</source>
        <translation>船</translation>
    </message>
    <message>
        <source>truck</source>
        <translation>卡车</translation>
    </message>
</context>
<context>
    <name>CurveTab</name>
    <message>
        <source>Select an activation in the list to see its curve.</source>
        <translation>在列表中选择一个激活函数以查看其曲线。</translation>
    </message>
    <message>
        <source>Show gradient f′(x)</source>
        <translation>显示梯度 f′(x)</translation>
    </message>
    <message>
        <source>f′(x) by autograd, and the share of the activation&apos;s input values where |f′(x)| &lt; {0}: where the gradient has all but vanished</source>
        <translation>由 autograd 计算的 f′(x)，以及激活函数输入值中 |f′(x)| &lt; {0} 的比例：即梯度几乎消失的地方</translation>
    </message>
    <message>
        <source>input value x</source>
        <translation>输入值 x</translation>
    </message>
    <message>
        <source>f(x)</source>
        <translation>f(x)</translation>
    </message>
    <message>
        <source>The curve could not be computed: {0}</source>
        <translation>无法计算曲线：{0}</translation>
    </message>
    <message>
        <source>Your module brings its own activations. The curve follows the activation list, which this view does not use.</source>
        <translation>你的模块自带激活函数。曲线跟随激活函数列表，而此视图不使用该列表。</translation>
    </message>
    <message>
        <source>the input&apos;s</source>
        <translation>输入的</translation>
    </message>
    <message>
        <source>{0}&apos;s</source>
        <translation>{0} 的</translation>
    </message>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: {1}. Grey: {2} histogram (range {3} to {4}); dashed: y = x</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;：{1}。灰色：{2}直方图（范围 {3} 到 {4}）；虚线：y&#xa0;=&#xa0;x</translation>
    </message>
    <message>
        <source>; blue: f′(x), by autograd</source>
        <translation>；蓝色：f′(x)，由 autograd 计算</translation>
    </message>
    <message>
        <source>; dots: the inspected pixel&apos;s input ({0})</source>
        <translation>；圆点：所检查像素的输入（{0}）</translation>
    </message>
    <message>
        <source>|f′(x)| &lt; {0} on {1}% of this batch&apos;s values</source>
        <translation>本批次 {1}% 的值上 |f′(x)| &lt; {0}</translation>
    </message>
    <message>
        <source>|f′(x)| &lt; {0} on {1}% of the values of {2}</source>
        <translation>{2} 的 {1}% 的值上 |f′(x)| &lt; {0}</translation>
    </message>
</context>
<context>
    <name>DataPrompt</name>
    <message>
        <source>Open Recent Data Folder</source>
        <translation>最近打开的数据文件夹</translation>
    </message>
    <message>
        <source>{0} in {1} has only the {2} split, which is shown; the {3} split is missing. Choose it under Split to download it.</source>
        <translation>{1} 中的 {0} 只有 {2} 划分，现已显示；缺少 {3} 划分。在“划分”中选择它即可下载。</translation>
    </message>
    <message>
        <source>{0} failed the MD5 check against the official {1} sums, so it was not loaded (unpickling an unverified file can run code). Download the data again, or, if you trust this copy, press “Load it anyway” to read it as plain data.</source>
        <translation>{0} 未通过与官方 {1} 校验和的 MD5 检查，因此没有加载（反序列化未经验证的文件可能运行代码）。请重新下载数据；如果你信任这份副本，请按“仍然加载”，把它作为纯数据读取。</translation>
    </message>
    <message>
        <source>Loading data…</source>
        <translation>正在加载数据…</translation>
    </message>
    <message>
        <source>Load it anyway, as plain data</source>
        <translation>仍然加载（作为纯数据读取）</translation>
    </message>
    <message>
        <source>The copy that was in the data folder differs from the download: it is kept in {0}</source>
        <translation>数据文件夹中原有的副本与下载的不同：已保留在 {0}</translation>
    </message>
    <message>
        <source>Showing the built-in sample. To get {0}, choose it again under Dataset, or use &apos;Change data folder…&apos;.</source>
        <translation>正在显示内置样本。要获取 {0}，请在“数据集”中重新选择它，或使用“更改数据文件夹…”。</translation>
    </message>
    <message>
        <source>The {0} split is not in the data folder; the images shown stay. Choose it again under Split to download it.</source>
        <translation>数据文件夹中没有 {0} 划分；当前显示的图像保持不变。在“划分”中再次选择它即可下载。</translation>
    </message>
    <message>
        <source>{0} is not loaded. Choose it again under Dataset to download it, or use &apos;Change data folder…&apos;.</source>
        <translation>{0} 尚未加载。在“数据集”中重新选择它即可下载，或使用“更改数据文件夹…”。</translation>
    </message>
    <message>
        <source>Folder holding the data set</source>
        <translation>存放数据集的文件夹</translation>
    </message>
    <message>
        <source>No data folder given.</source>
        <translation>未指定数据文件夹。</translation>
    </message>
    <message>
        <source>The data folder {0} does not exist.</source>
        <translation>数据文件夹 {0} 不存在。</translation>
    </message>
    <message>
        <source>{0} is a file, not a folder: choose the folder that holds the data set.</source>
        <translation>{0} 是文件而不是文件夹：请选择存放数据集的文件夹。</translation>
    </message>
    <message>
        <source>{0} is not a valid folder path.</source>
        <translation>{0} 不是有效的文件夹路径。</translation>
    </message>
    <message>
        <source>{0} is no longer there; it was removed from the recent data folders.</source>
        <translation>{0} 已不存在；已从最近的数据文件夹中移除。</translation>
    </message>
    <message>
        <source>No data folders yet</source>
        <translation>尚无数据文件夹</translation>
    </message>
    <message>
        <source>{0} (image folder)</source>
        <translation>{0}（图像文件夹）</translation>
    </message>
</context>
<context>
    <name>DeepTraining</name>
    <message>
        <source>Adam</source>
        <translation>Adam（自适应学习率）</translation>
    </message>
    <message>
        <source>SGD with momentum 0.9</source>
        <translation>带动量 0.9 的 SGD</translation>
    </message>
    <message>
        <source>Train</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Train every activation and initialisation shown for this many steps, from the same seed and the same batches</source>
        <translation>把显示的每个激活函数与初始化各训练这么多步，用同一种子和同样的批次</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Trains the stack shown (its depth, width, pools and seed) on the data set&apos;s images and measures the held-out accuracy. 10% is chance.</source>
        <translation>在数据集的图像上训练当前显示的堆叠（其深度、宽度、池化和种子），并测量留出集准确率。10% 即随机猜测。</translation>
    </message>
    <message>
        <source>Steps</source>
        <translation>步数</translation>
    </message>
    <message>
        <source>Optimiser</source>
        <translation>优化器</translation>
    </message>
    <message>
        <source>Learning rate</source>
        <translation>学习率</translation>
    </message>
    <message>
        <source>training loss</source>
        <translation>训练损失</translation>
    </message>
    <message>
        <source>step</source>
        <translation>步</translation>
    </message>
    <message>
        <source>held-out accuracy (%)</source>
        <translation>留出集准确率（%）</translation>
    </message>
    <message>
        <source>log10 of the weight gradient&apos;s std</source>
        <translation>权重梯度标准差的 log10</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>activation · init</source>
        <translation>激活函数 · 初始化</translation>
    </message>
    <message>
        <source>line</source>
        <translation>线型</translation>
    </message>
    <message>
        <source>held-out accuracy</source>
        <translation>留出集准确率</translation>
    </message>
    <message>
        <source>last loss</source>
        <translation>最后损失</translation>
    </message>
    <message>
        <source>state</source>
        <translation>状态</translation>
    </message>
    <message>
        <source>Layer × step of</source>
        <translation>层 × 步：</translation>
    </message>
    <message>
        <source>Another training is running; wait for it or cancel it first.</source>
        <translation>另一个训练正在进行；请等待它结束或先取消它。</translation>
    </message>
    <message>
        <source>Loading the data…</source>
        <translation>正在加载数据…</translation>
    </message>
    <message>
        <source>Cancelling after this step…</source>
        <translation>将在这一步之后取消…</translation>
    </message>
    <message>
        <source>Training: {0}; {1}.</source>
        <translation>训练：{0}；{1}。</translation>
    </message>
    <message>
        <source>Training {0} · {1} (pair {2} of {3}): step {4} of {5}, loss {6}.</source>
        <translation>正在训练 {0} · {1}（第 {2} 个组合，共 {3} 个）：第 {4} 步，共 {5} 步，损失 {6}。</translation>
    </message>
    <message>
        <source>log10 of the std: dark {0}, bright {1}, one scale for every pair</source>
        <translation>标准差的 log10：暗 {0}，亮 {1}，所有组合共用一个刻度</translation>
    </message>
    <message>
        <source>diverged at step {0} (the loss became {1})</source>
        <translation>在第 {0} 步发散（损失变为 {1}）</translation>
    </message>
    <message>
        <source>cancelled after {0} steps</source>
        <translation>{0} 步后已取消</translation>
    </message>
    <message>
        <source>done in {0} s</source>
        <translation>完成，用时 {0} 秒</translation>
    </message>
    <message>
        <source>Cancelled: kept {0} steps of {1} pair(s); {2} pair(s) not trained.</source>
        <translation>已取消：保留了 {1} 个组合的 {0} 步；{2} 个组合未训练。</translation>
    </message>
    <message>
        <source>Done: {0}; {1}.</source>
        <translation>完成：{0}；{1}。</translation>
    </message>
    <message>
        <source>Training stopped: {0}</source>
        <translation>训练已停止：{0}</translation>
    </message>
</context>
<context>
    <name>DepthProfileView</name>
    <message>
        <source>layer (1 = nearest the input)</source>
        <translation>层（1 = 最靠近输入）</translation>
    </message>
    <message>
        <source>gradient std</source>
        <translation>梯度标准差</translation>
    </message>
    <message>
        <source>activation · init</source>
        <translation>激活函数 · 初始化</translation>
    </message>
    <message>
        <source>line</source>
        <translation>线型</translation>
    </message>
    <message>
        <source>layer 1 / last</source>
        <translation>第 1 层 / 最后一层</translation>
    </message>
    <message>
        <source>theory</source>
        <translation>理论值</translation>
    </message>
    <message>
        <source>The gradient&apos;s std at layer 1 over its std at the last layer: 1 means it reaches the first layer intact, 1e-6 that it has vanished. The theory (He et al. 2015) exists for ReLU, leaky ReLU and identity; it is drawn as a thin dashed line.</source>
        <translation>第 1 层梯度标准差与最后一层梯度标准差之比：1 表示梯度完好地到达第一层，1e-6 表示它已消失。理论值（He 等，2015）适用于 ReLU、leaky ReLU 和 identity，以细虚线画出。</translation>
    </message>
    <message>
        <source>values</source>
        <translation>数值</translation>
    </message>
    <message>
        <source>gradients</source>
        <translation>梯度</translation>
    </message>
    <message>
        <source>Histograms per layer of</source>
        <translation>逐层直方图：</translation>
    </message>
    <message>
        <source>layer</source>
        <translation>层</translation>
    </message>
    <message>
        <source>Sigmoid&apos;s slope f′ is at most 0.25. Near 0 it never drops below 0.01, so its saturated share stays near 0%; yet every layer multiplies the gradient by at most 0.25, and through many layers it vanishes.</source>
        <translation>Sigmoid 的斜率 f′ 最大为 0.25。在 0 附近它从不低于 0.01，所以饱和比例接近 0%；但每一层都把梯度乘以至多 0.25，经过多层之后梯度就会消失。</translation>
    </message>
    <message>
        <source>For Sigmoid and identity, Kaiming and Xavier draw the same weights except in layer 1: torch&apos;s gain for them is 1, and every later layer has as many inputs as outputs.</source>
        <translation>对 Sigmoid 和 identity，Kaiming 与 Xavier 除第 1 层外抽取相同的权重：torch 给它们的增益为 1，且之后每层的输入数与输出数相同。</translation>
    </message>
    <message>
        <source>ReLU&apos;s saturated values are its dead ones: its slope is 0 or 1.</source>
        <translation>ReLU 的饱和值就是它的死亡值：它的斜率只有 0 或 1。</translation>
    </message>
</context>
<context>
    <name>DepthView</name>
    <message>
        <source>This batch</source>
        <translation>本批次</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Computing the forward and backward passes…</source>
        <translation>正在计算前向和反向传播…</translation>
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
        <translation>一次只能拖入一个文件或文件夹（拖入了 {0} 个）。</translation>
    </message>
    <message>
        <source>{0} can be opened once PyTorch has loaded: drop it again in a moment.</source>
        <translation>PyTorch 加载完成后才能打开 {0}：请稍后再拖入一次。</translation>
    </message>
    <message>
        <source>{0} cannot be opened: it is not a file or folder (or it is gone).</source>
        <translation>无法打开 {0}：它不是文件或文件夹（或已不存在）。</translation>
    </message>
    <message>
        <source>{0} cannot be opened here: drop an image folder, a module file (.py), network weights (.pt, .pth) or a training run&apos;s run.json.</source>
        <translation>无法在此打开 {0}：请拖入图像文件夹、模块文件（.py）、网络权重（.pt、.pth）或训练运行的 run.json。</translation>
    </message>
</context>
<context>
    <name>Errors</name>
    <message>
        <source>unexpected error: {0}: {1}</source>
        <translation>意外错误：{0}：{1}</translation>
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
        <translation>范围：</translation>
    </message>
    <message>
        <source>A:B (B exclusive) or a list like 0,5,9</source>
        <translation>A:B（不含 B）或列表，如 0,5,9</translation>
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
        <translation>TensorBoard 默认每个标签只显示 10 步，除非启动时加上 {0}：</translation>
    </message>
    <message>
        <source>View it with:</source>
        <translation>用以下命令查看：</translation>
    </message>
    <message>
        <source> (a run of its own: the folder held an export)</source>
        <translation>（单独的一次运行：该文件夹已有导出）</translation>
    </message>
    <message>
        <source>Cancelled; kept {0} step(s) ({1}) to {2}{3}.</source>
        <translation>已取消；保留了 {0} 步（{1}），位于 {2}{3}。</translation>
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
        <translation>导出已取消；未写入任何内容。</translation>
    </message>
    <message>
        <source>Export failed: {0}</source>
        <translation>导出失败：{0}</translation>
    </message>
    <message>
        <source>Another export is running: wait for it to finish, or cancel it, then export again.</source>
        <translation>另一个导出正在进行：请等待它完成或将其取消，然后再次导出。</translation>
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
    <name>FirstLook</name>
    <message>
        <source>Loading PyTorch… the images are read; the activations follow</source>
        <translation>正在加载 PyTorch…… 图像已读入，激活结果随后显示</translation>
    </message>
    <message>
        <source>the images as read; the activations are being computed</source>
        <translation>读入的原始图像；正在计算激活结果</translation>
    </message>
</context>
<context>
    <name>HistogramTab</name>
    <message>
        <source>Log counts</source>
        <translation>对数计数</translation>
    </message>
    <message>
        <source>raw value</source>
        <translation>原始值</translation>
    </message>
    <message>
        <source>count</source>
        <translation>计数</translation>
    </message>
    <message>
        <source>input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>output</source>
        <translation>输出</translation>
    </message>
    <message>
        <source>Panel</source>
        <translation>面板</translation>
    </message>
    <message>
        <source>{0} ({1} values, scaled to {2})</source>
        <translation>{0}（{1} 个值，按比例换算为 {2} 个）</translation>
    </message>
    <message>
        <source>{0} ({1} values)</source>
        <translation>{0}（{1} 个值）</translation>
    </message>
    <message>
        <source>count per {0} values</source>
        <translation>每 {0} 个值中的计数</translation>
    </message>
    <message>
        <source>log10({0} + 1)</source>
        <translation>log10({0} + 1)</translation>
    </message>
</context>
<context>
    <name>InspectorDock</name>
    <message>
        <source>Inspector</source>
        <translation>检查器</translation>
    </message>
    <message>
        <source>Pixel</source>
        <translation>像素</translation>
    </message>
    <message>
        <source>Histogram</source>
        <translation>直方图</translation>
    </message>
    <message>
        <source>Curve</source>
        <translation>曲线</translation>
    </message>
</context>
<context>
    <name>MainWindow</name>
    <message>
        <source>Activation Lens</source>
        <translation>Activation Lens</translation>
    </message>
    <message>
        <source>Computing…</source>
        <translation>正在计算…</translation>
    </message>
    <message>
        <source>Loading PyTorch…</source>
        <translation>正在加载 PyTorch…</translation>
    </message>
    <message>
        <source>Export to TensorBoard…</source>
        <translation>导出到 TensorBoard…</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
    </message>
    <message>
        <source>&amp;File</source>
        <translation>文件(&amp;F)</translation>
    </message>
    <message>
        <source>&amp;Edit</source>
        <translation>编辑(&amp;E)</translation>
    </message>
    <message>
        <source>&amp;View</source>
        <translation>视图(&amp;V)</translation>
    </message>
    <message>
        <source>&amp;Help</source>
        <translation>帮助(&amp;H)</translation>
    </message>
    <message>
        <source>Device &apos;{0}&apos; is not available here; using CPU.</source>
        <translation>此处没有设备“{0}”；改用 CPU。</translation>
    </message>
    <message>
        <source>Loading data…</source>
        <translation>正在加载数据…</translation>
    </message>
    <message>
        <source>PyTorch could not be loaded: {0}

Reinstall it in this environment (see the README&apos;s troubleshooting section), then restart Activation Lens.</source>
        <translation>无法加载 PyTorch:{0}

请在此环境中重新安装(见 README 的故障排除部分),然后重新启动 Activation Lens。</translation>
    </message>
    <message>
        <source>PyTorch could not be loaded</source>
        <translation>无法加载 PyTorch</translation>
    </message>
    <message>
        <source>Nothing to export yet: load a batch first.</source>
        <translation>还没有可导出的内容：请先加载一个批次。</translation>
    </message>
</context>
<context>
    <name>MissingDataDialog</name>
    <message>
        <source>Data set not found</source>
        <translation>未找到数据集</translation>
    </message>
    <message>
        <source>{0}

Download it into {1} (about 163 MB for CIFAR-10), or choose a folder that already holds it.</source>
        <translation>{0}

可以下载到 {1}（CIFAR-10 约 163 MB），或选择一个已经存放它的文件夹。</translation>
    </message>
    <message>
        <source>The copy already there is not deleted: if the download differs from it, it is kept beside the new one, and the window says where.</source>
        <translation>已有的副本不会被删除：如果下载的内容与它不同，它会保留在新副本旁边，窗口会告诉你位置。</translation>
    </message>
    <message>
        <source>Download</source>
        <translation>下载</translation>
    </message>
    <message>
        <source>Choose a folder…</source>
        <translation>选择文件夹…</translation>
    </message>
    <message>
        <source>Keep the sample</source>
        <translation>继续使用样本</translation>
    </message>
    <message>
        <source>Quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Keep the images shown</source>
        <translation>保留当前显示的图像</translation>
    </message>
    <message>
        <source>Connecting…</source>
        <translation>正在连接…</translation>
    </message>
    <message>
        <source>Cancel</source>
        <translation>取消</translation>
    </message>
    <message>
        <source>Folder holding the data set</source>
        <translation>存放数据集的文件夹</translation>
    </message>
    <message>
        <source>{0:.1f} of {1:.1f} MB</source>
        <translation>{0:.1f} / {1:.1f} MB</translation>
    </message>
    <message>
        <source>{0:.1f} MB</source>
        <translation>{0:.1f} MB</translation>
    </message>
    <message>
        <source>Cancelling…</source>
        <translation>正在取消…</translation>
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
        <translation>最近打开的模块</translation>
    </message>
    <message>
        <source>Open a module file</source>
        <translation>打开模块文件</translation>
    </message>
    <message>
        <source>Python files</source>
        <translation>Python 文件</translation>
    </message>
    <message>
        <source>Opening a module file runs its Python code, with your permissions, like &lt;tt&gt;python FILE.py&lt;/tt&gt; would. Open only files you trust.&lt;br&gt;&lt;br&gt;Activation Lens never reopens a module file by itself: the next time, pick it again here or under File → Open Recent Module.</source>
        <translation>打开模块文件会以你的权限运行其中的 Python 代码，就像 &lt;tt&gt;python FILE.py&lt;/tt&gt; 一样。只打开你信任的文件。&lt;br&gt;&lt;br&gt;Activation Lens 不会自行重新打开模块文件：下次请在这里或在“文件 → 最近打开的模块”中再次选择。</translation>
    </message>
    <message>
        <source>No module files yet</source>
        <translation>尚无模块文件</translation>
    </message>
    <message>
        <source>Weights of the network: a state dict, or a training run&apos;s run.json</source>
        <translation>网络权重：state dict 文件，或训练运行的 run.json</translation>
    </message>
    <message>
        <source>PyTorch weights or training runs</source>
        <translation>PyTorch 权重或训练运行</translation>
    </message>
    <message>
        <source>All files</source>
        <translation>所有文件</translation>
    </message>
</context>
<context>
    <name>ModuleForm</name>
    <message>
        <source>How long the module may take to load or to run one batch before its process is stopped</source>
        <translation>模块加载或运行一个批次最多可用的时间,超过后停止它的进程</translation>
    </message>
    <message>
        <source>Stop module</source>
        <translation>停止模块</translation>
    </message>
    <message>
        <source>End the module&apos;s process now</source>
        <translation>立即结束模块的进程</translation>
    </message>
    <message>
        <source>Restart module</source>
        <translation>重启模块</translation>
    </message>
    <message>
        <source>A fresh process for the module, then this batch again</source>
        <translation>为模块启动新进程,并重新计算这一批</translation>
    </message>
    <message>
        <source>Log…</source>
        <translation>日志…</translation>
    </message>
    <message>
        <source>What the module printed</source>
        <translation>模块打印的内容</translation>
    </message>
    <message>
        <source>Time limit</source>
        <translation>时间限制</translation>
    </message>
    <message>
        <source>Its process is running.</source>
        <translation>它的进程正在运行。</translation>
    </message>
    <message>
        <source>Its process is stopped.</source>
        <translation>它的进程已停止。</translation>
    </message>
    <message>
        <source>Its process starts with the first batch.</source>
        <translation>它的进程在第一批时启动。</translation>
    </message>
    <message>
        <source>(nothing yet)</source>
        <translation>(暂无内容)</translation>
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
        <translation>与输入完全相同：此激活函数对这些值没有任何改变。</translation>
    </message>
    <message>
        <source>Try:</source>
        <translation>试试：</translation>
    </message>
    <message>
        <source>Switch the preprocessing to {0}, which feeds signed values</source>
        <translation>将预处理切换为 {0}，输入有正有负的值</translation>
    </message>
    <message>
        <source>Input</source>
        <translation>输入</translation>
    </message>
    <message>
        <source>{0}
TensorBoard tag: {1} · display: {2}</source>
        <translation>{0}
TensorBoard 标签:{1} · 显示方式:{2}</translation>
    </message>
</context>
<context>
    <name>ParamForm</name>
    <message>
        <source>&lt;b&gt;{0}&lt;/b&gt;: {1}</source>
        <translation>&lt;b&gt;{0}&lt;/b&gt;：{1}</translation>
    </message>
    <message>
        <source>No parameters.</source>
        <translation>无参数。</translation>
    </message>
    <message>
        <source>{0}
Allowed: {1}
Default: {2}</source>
        <translation>{0}
允许范围:{1}
默认值:{2}</translation>
    </message>
    <message>
        <source>logarithmic slider</source>
        <translation>对数刻度滑块</translation>
    </message>
    <message>
        <source>slider: linear within ±1, logarithmic beyond</source>
        <translation>滑块：±1 以内为线性，之外为对数</translation>
    </message>
</context>
<context>
    <name>PixelTab</name>
    <message>
        <source>Click an image in any panel to inspect it.</source>
        <translation>点击任意面板中的图像即可检查它。</translation>
    </message>
    <message>
        <source>×</source>
        <translation>×</translation>
    </message>
    <message>
        <source>Zoom of every enlarged view (they zoom together)</source>
        <translation>所有放大视图的缩放倍数（同步缩放）</translation>
    </message>
    <message>
        <source>Zoom</source>
        <translation>缩放</translation>
    </message>
    <message>
        <source> (pinned; click again to follow the cursor)</source>
        <translation>（已固定；再次点击则跟随光标）</translation>
    </message>
    <message>
        <source>Image #{0} ({1}), pixel y={2} x={3}{4}</source>
        <translation>图像 #{0}（{1}），像素 y={2} x={3}{4}</translation>
    </message>
    <message>
        <source>input pixel (uint8: R, G, B)</source>
        <translation>输入像素(uint8：R、G、B)</translation>
    </message>
    <message>
        <source>input pixel (uint8)</source>
        <translation>输入像素(uint8)</translation>
    </message>
    <message>
        <source>{0} (raw)</source>
        <translation>{0}（原始值）</translation>
    </message>
    <message>
        <source>input (preprocessed)</source>
        <translation>输入（预处理后）</translation>
    </message>
    <message>
        <source>R</source>
        <translation>R</translation>
    </message>
    <message>
        <source>G</source>
        <translation>G</translation>
    </message>
    <message>
        <source>B</source>
        <translation>B</translation>
    </message>
    <message>
        <source>grey</source>
        <translation>灰度</translation>
    </message>
    <message>
        <source>map {0}</source>
        <translation>特征图 {0}</translation>
    </message>
</context>
<context>
    <name>Preferences</name>
    <message>
        <source>Preferences…</source>
        <translation>首选项…</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>System default</source>
        <translation>跟随系统</translation>
    </message>
    <message>
        <source>{0} applies when Activation Lens starts again. Restart now?</source>
        <translation>{0} 将在 Activation Lens 重新启动后生效。现在重新启动吗？</translation>
    </message>
    <message>
        <source>Restart now</source>
        <translation>立即重新启动</translation>
    </message>
    <message>
        <source>Later</source>
        <translation>稍后</translation>
    </message>
    <message>
        <source>Activation Lens could not be started again ({0}); the new language applies the next time you start it.</source>
        <translation>无法重新启动 Activation Lens（{0}）；新语言将在下次启动时生效。</translation>
    </message>
</context>
<context>
    <name>PreferencesDialog</name>
    <message>
        <source>Preferences</source>
        <translation>首选项</translation>
    </message>
    <message>
        <source>The folder that holds the data set shown now (the command line&apos;s --data-root)</source>
        <translation>存放当前所显示数据集的文件夹（即命令行的 --data-root）</translation>
    </message>
    <message>
        <source>Browse…</source>
        <translation>浏览…</translation>
    </message>
    <message>
        <source>A new language applies when Activation Lens starts again: &quot;Restart now&quot; does that at once.</source>
        <translation>新语言在 Activation Lens 重新启动后生效：“立即重新启动”会马上完成。</translation>
    </message>
    <message>
        <source>This window is in {0}. {1}</source>
        <translation>此窗口当前的语言：{0}。{1}</translation>
    </message>
    <message>
        <source>Data folder</source>
        <translation>数据文件夹</translation>
    </message>
    <message>
        <source>Device</source>
        <translation>设备</translation>
    </message>
    <message>
        <source>Language</source>
        <translation>语言</translation>
    </message>
    <message>
        <source>Restart now</source>
        <translation>立即重新启动</translation>
    </message>
    <message>
        <source>Folder holding the data set</source>
        <translation>存放数据集的文件夹</translation>
    </message>
    <message>
        <source>The language changes the next time Activation Lens starts.</source>
        <translation>语言将在下次启动 Activation Lens 时更改。</translation>
    </message>
</context>
<context>
    <name>SaveActions</name>
    <message>
        <source>Save view as PNG…</source>
        <translation>将视图保存为 PNG…</translation>
    </message>
    <message>
        <source>Save each panel as PNG…</source>
        <translation>将每个面板保存为 PNG…</translation>
    </message>
    <message>
        <source>Save statistics (CSV or JSON)…</source>
        <translation>保存统计数据（CSV 或 JSON）…</translation>
    </message>
    <message>
        <source>Copy view</source>
        <translation>复制视图</translation>
    </message>
    <message>
        <source>The panels as they look, as one image on the clipboard</source>
        <translation>将面板当前的样子作为一张图像放到剪贴板</translation>
    </message>
    <message>
        <source>The view is {0} × {1} pixels, too large for one picture: zoom out (Ctrl+0 fits it to the window), or save each panel as PNG.</source>
        <translation>视图为 {0} × {1} 像素，太大，无法作为一张图片：请缩小（Ctrl+0 适应窗口），或将每个面板分别保存为 PNG。</translation>
    </message>
    <message>
        <source>The view could not be drawn as a picture (not enough memory?).</source>
        <translation>无法将视图绘制为图片（内存不足？）。</translation>
    </message>
    <message>
        <source>Save view</source>
        <translation>保存视图</translation>
    </message>
    <message>
        <source>PNG image</source>
        <translation>PNG 图像</translation>
    </message>
    <message>
        <source>Nothing to copy yet: load a batch first.</source>
        <translation>还没有可复制的内容：请先加载一个批次。</translation>
    </message>
    <message>
        <source>Copied the view ({0} × {1} pixels) to the clipboard</source>
        <translation>已将视图（{0} × {1} 像素）复制到剪贴板</translation>
    </message>
    <message>
        <source>Folder for the panel PNGs</source>
        <translation>存放面板 PNG 的文件夹</translation>
    </message>
    <message>
        <source>{0} PNGs in {1}</source>
        <translation>{0} 个 PNG 已保存到 {1}</translation>
    </message>
    <message>
        <source>Save statistics</source>
        <translation>保存统计数据</translation>
    </message>
    <message>
        <source>Saved {0}</source>
        <translation>已保存 {0}</translation>
    </message>
    <message>
        <source>{0} is still being saved.</source>
        <translation>{0} 仍在保存中。</translation>
    </message>
    <message>
        <source>Could not save {0}</source>
        <translation>无法保存 {0}</translation>
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
        <translation>原练习：将每个激活函数作用于预处理后的图像</translation>
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
        <translation>定义 nn.Module 的 Python 文件：每个图像形状的输出是一个面板</translation>
    </message>
    <message>
        <source>Each image-shaped output of your module&apos;s forward, and the outputs of its activation layers. Opening a file runs its code, in a process of its own: a module that hangs or crashes is stopped, and the other views go on. Click an image in the input panel to see its channels where an output has more than 3.</source>
        <translation>模块 forward 的每个图像形状的输出,以及其中激活层的输出。打开文件会运行其中的代码,且在单独的进程中运行:卡住或崩溃的模块会被停止,其他视图照常工作。点击输入面板中的图像,可查看通道数多于 3 的输出的各个通道。</translation>
    </message>
    <message>
        <source>Open module…</source>
        <translation>打开模块…</translation>
    </message>
    <message>
        <source>Module: {0}</source>
        <translation>模块：{0}</translation>
    </message>
    <message>
        <source>No module file open.</source>
        <translation>未打开模块文件。</translation>
    </message>
    <message>
        <source>Each activation applied to the preprocessed pixels, as in the exercise.</source>
        <translation>与原练习相同：将每个激活函数作用于预处理后的像素。</translation>
    </message>
    <message>
        <source>Feature maps of the image you click in the input panel, before and after the activation (16 maps of conv1, 32 of conv2). The network pools by averages: max pooling is itself non-linear and would hide what the activation does.</source>
        <translation>在输入面板中点击的图像的特征图，分别为激活前和激活后（conv1 有 16 张，conv2 有 32 张）。网络使用平均池化：最大池化本身是非线性的，会掩盖激活函数的作用。</translation>
    </message>
    <message>
        <source>Image folders: images are resized and centre-cropped to this square size</source>
        <translation>图像文件夹：图像会缩放并居中裁剪为此边长的正方形</translation>
    </message>
    <message>
        <source>20 superclasses (coarse labels)</source>
        <translation>20 个超类（粗粒度标签）</translation>
    </message>
    <message>
        <source>Shuffle, seed</source>
        <translation>打乱顺序，种子</translation>
    </message>
    <message>
        <source>Show the images in a random order; the same seed gives the same order</source>
        <translation>以随机顺序显示图像；相同的种子给出相同的顺序</translation>
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
        <translation>此网络的 state dict 文件（torch.save 保存），以 weights_only=True 加载</translation>
    </message>
    <message>
        <source>Random</source>
        <translation>随机</translation>
    </message>
    <message>
        <source>Seeded random weights: the same for every activation</source>
        <translation>由种子生成的随机权重：每个激活函数都相同</translation>
    </message>
    <message>
        <source>Seed of the random weights</source>
        <translation>随机权重的种子</translation>
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
        <translation>数据文件夹：{0}</translation>
    </message>
    <message>
        <source>{0} (not downloaded)</source>
        <translation>{0}（未下载）</translation>
    </message>
    <message>
        <source>Not in the data folder: choosing it offers the download</source>
        <translation>数据文件夹中没有：选择它会提供下载</translation>
    </message>
    <message>
        <source>Weights: {0} (loaded; the seed is not used)</source>
        <translation>权重：{0}（已加载；不使用种子）</translation>
    </message>
    <message>
        <source>Weights: seeded random (seed {0}), the same for every activation. Not trained: the maps show what each activation does to the same convolutions.</source>
        <translation>权重：由种子生成的随机权重（种子 {0}），每个激活函数都相同。未经训练：特征图展示的是每个激活函数对相同卷积的作用。</translation>
    </message>
    <message>
        <source>Kaiming (He et al. 2015)</source>
        <translation>Kaiming（He 等，2015）</translation>
    </message>
    <message>
        <source>Xavier (Glorot &amp; Bengio 2010)</source>
        <translation>Xavier（Glorot 与 Bengio，2010）</translation>
    </message>
    <message>
        <source>PyTorch&apos;s default</source>
        <translation>PyTorch 默认</translation>
    </message>
    <message>
        <source>All three</source>
        <translation>三种都用</translation>
    </message>
    <message>
        <source>Through a deep network</source>
        <translation>穿过深层网络</translation>
    </message>
    <message>
        <source>A plain stack of conv layers, each followed by the activation: how each layer&apos;s values and gradients grow or vanish</source>
        <translation>一叠普通卷积层，每层后接激活函数：看每一层的激活值和梯度如何增长或消失</translation>
    </message>
    <message>
        <source>One forward and one backward pass of this batch through a stack of 3×3 convolutions, each followed by the activation. The plot shows the std of the gradient that reaches each layer, on a log axis; dashed lines are the theory&apos;s prediction. The panels show the clicked image&apos;s maps at the chosen layer.</source>
        <translation>这一批图像在一叠 3×3 卷积层中前向、反向各传播一次，每层后接激活函数。曲线图以对数坐标显示到达每一层的梯度的标准差；虚线是理论预测。下方面板显示所点击图像在所选层的特征图。</translation>
    </message>
    <message>
        <source>last</source>
        <translation>最后一层</translation>
    </message>
    <message>
        <source>Average pools after ⅓ and ⅔ of the layers</source>
        <translation>在 ⅓ 和 ⅔ 层之后做平均池化</translation>
    </message>
    <message>
        <source>Depth</source>
        <translation>深度</translation>
    </message>
    <message>
        <source>Width</source>
        <translation>宽度</translation>
    </message>
    <message>
        <source>Initialisation</source>
        <translation>初始化</translation>
    </message>
    <message>
        <source>Maps of layer</source>
        <translation>显示特征图的层</translation>
    </message>
</context>
<context>
    <name>Shortcuts</name>
    <message>
        <source>Left / Right</source>
        <translation>← / →</translation>
    </message>
    <message>
        <source>previous / next batch</source>
        <translation>上一批 / 下一批</translation>
    </message>
    <message>
        <source>Page Up / Page Down</source>
        <translation>Page Up / Page Down</translation>
    </message>
    <message>
        <source>10 batches back / forward</source>
        <translation>后退 / 前进 10 个批次</translation>
    </message>
    <message>
        <source>Home / End</source>
        <translation>Home / End</translation>
    </message>
    <message>
        <source>first / last batch</source>
        <translation>第一个 / 最后一个批次</translation>
    </message>
    <message>
        <source>Ctrl + wheel, Ctrl + = / -</source>
        <translation>Ctrl + 滚轮，Ctrl + = / -</translation>
    </message>
    <message>
        <source>zoom every panel in / out (class names from 200%)</source>
        <translation>放大 / 缩小所有面板（200% 起显示类别名称）</translation>
    </message>
    <message>
        <source>Ctrl + 0</source>
        <translation>Ctrl + 0</translation>
    </message>
    <message>
        <source>fit the panels to the window</source>
        <translation>让面板适应窗口</translation>
    </message>
    <message>
        <source>Ctrl + 1</source>
        <translation>Ctrl + 1</translation>
    </message>
    <message>
        <source>one screen pixel per image pixel (1:1)</source>
        <translation>一个屏幕像素对应一个图像像素(1:1)</translation>
    </message>
    <message>
        <source>Ctrl + I</source>
        <translation>Ctrl + I</translation>
    </message>
    <message>
        <source>show or hide the inspector</source>
        <translation>显示或隐藏检查器</translation>
    </message>
    <message>
        <source>Ctrl + T</source>
        <translation>Ctrl + T</translation>
    </message>
    <message>
        <source>show or hide the training dock</source>
        <translation>显示或隐藏训练面板</translation>
    </message>
    <message>
        <source>Ctrl + M</source>
        <translation>Ctrl + M</translation>
    </message>
    <message>
        <source>open a module file (runs its code)</source>
        <translation>打开模块文件（会运行其代码）</translation>
    </message>
    <message>
        <source>Ctrl + S</source>
        <translation>Ctrl + S</translation>
    </message>
    <message>
        <source>save the view as PNG</source>
        <translation>将视图保存为 PNG</translation>
    </message>
    <message>
        <source>Ctrl + Shift + C</source>
        <translation>Ctrl + Shift + C</translation>
    </message>
    <message>
        <source>copy the view to the clipboard</source>
        <translation>将视图复制到剪贴板</translation>
    </message>
    <message>
        <source>Ctrl + E</source>
        <translation>Ctrl + E</translation>
    </message>
    <message>
        <source>export to TensorBoard</source>
        <translation>导出到 TensorBoard</translation>
    </message>
    <message>
        <source>Ctrl + ,</source>
        <translation>Ctrl + ,</translation>
    </message>
    <message>
        <source>preferences: data folder, device, language</source>
        <translation>首选项：数据文件夹、设备、语言</translation>
    </message>
    <message>
        <source>drag and drop</source>
        <translation>拖放</translation>
    </message>
    <message>
        <source>a folder: image folder; .py: module; .pt, .pth, run.json: network weights</source>
        <translation>文件夹：图像文件夹；.py：模块；.pt、.pth、run.json：网络权重</translation>
    </message>
    <message>
        <source>click an image</source>
        <translation>点击图像</translation>
    </message>
    <message>
        <source>inspect it; in a network or module view, show its maps</source>
        <translation>检查它；在网络或模块视图中显示其特征图</translation>
    </message>
    <message>
        <source>F1</source>
        <translation>F1</translation>
    </message>
    <message>
        <source>this sheet</source>
        <translation>本快捷键表</translation>
    </message>
    <message>
        <source>Ctrl + Q</source>
        <translation>Ctrl + Q</translation>
    </message>
    <message>
        <source>quit</source>
        <translation>退出</translation>
    </message>
    <message>
        <source>Keyboard shortcuts</source>
        <translation>键盘快捷键</translation>
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
        <translation>TensorBoard 未能启动：{0}</translation>
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
        <translation>TensorBoard 正在 {0} 运行（退出时停止）</translation>
    </message>
</context>
<context>
    <name>TrainingDock</name>
    <message>
        <source>Without a non-linear activation the network is one linear map, whatever its depth (identity, with average pooling). Each activation&apos;s lead over identity is what non-linearity buys.</source>
        <translation>没有非线性激活函数，无论网络多深，它都只是一个线性映射（identity，配合平均池化）。每个激活函数相对 identity 的领先幅度，就是非线性带来的收益。</translation>
    </message>
    <message>
        <source>Training</source>
        <translation>训练</translation>
    </message>
    <message>
        <source>Train on the test split (80/20) even if a train split exists</source>
        <translation>即使存在训练集，也在测试集上训练（80/20 划分）</translation>
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
        <source>Save elsewhere…</source>
        <translation>另存到其他位置…</translation>
    </message>
    <message>
        <source>The trained weights could not be saved; choose a folder for them</source>
        <translation>训练好的权重未能保存;请为它们选择一个文件夹</translation>
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
        <source>seconds (after warm-up)</source>
        <translation>秒（预热之后）</translation>
    </message>
    <message>
        <source>Seconds: {0}.</source>
        <translation>秒数：{0}。</translation>
    </message>
    <message>
        <source>The table shows the last run, saved in {0}. {1}</source>
        <translation>表中是上一次的运行，保存在 {0}。{1}</translation>
    </message>
    <message>
        <source>Recipe: {0}. The preprocessing is the side panel&apos;s Preprocess.</source>
        <translation>训练方案：{0}。预处理取自侧边栏的“预处理”。</translation>
    </message>
    <message>
        <source>Another training is running; wait for it or cancel it first.</source>
        <translation>另一个训练正在进行；请等待它结束或先取消它。</translation>
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
        <source>In the table: {0}.</source>
        <translation>表中的运行：{0}。</translation>
    </message>
    <message>
        <source>Training: {0}.</source>
        <translation>训练：{0}。</translation>
    </message>
    <message>
        <source>Training {0}: epoch {1}, batch {2} of {3} · {4}.</source>
        <translation>正在训练 {0}：第 {1} 轮，第 {2}/{3} 批 · {4}。</translation>
    </message>
    <message>
        <source> (cancelled)</source>
        <translation>（已取消）</translation>
    </message>
    <message>
        <source> (diverged: try a smaller learning rate)</source>
        <translation>(发散:请尝试更小的学习率)</translation>
    </message>
    <message>
        <source> (stayed at chance)</source>
        <translation>（停留在随机水平）</translation>
    </message>
    <message>
        <source>In the table: {0}. The warm-up before the first activation took {1} s and is not counted.</source>
        <translation>表中的运行：{0}。第一个激活函数之前的预热用了 {1} 秒，不计入。</translation>
    </message>
    <message>
        <source>Done: {0}. Weights saved in {1}. {2}</source>
        <translation>完成：{0}。权重已保存到 {1}。{2}</translation>
    </message>
    <message>
        <source>Add identity to the side panel&apos;s activations to train that baseline beside them.</source>
        <translation>在侧边栏的激活函数中加入 identity，即可在旁边训练这一基线。</translation>
    </message>
    <message>
        <source>Trained, but not saved: {0}</source>
        <translation>已训练,但未保存:{0}</translation>
    </message>
    <message>
        <source>Training stopped: {0}</source>
        <translation>训练已停止：{0}</translation>
    </message>
    <message>
        <source>A trained run is not saved</source>
        <translation>训练结果尚未保存</translation>
    </message>
    <message>
        <source>The weights just trained could not be saved and are only in memory: quitting now loses them.</source>
        <translation>刚训练好的权重未能保存，只存在于内存中：现在退出会丢失它们。</translation>
    </message>
    <message>
        <source>Keep the window open to save them</source>
        <translation>保持窗口打开以便保存</translation>
    </message>
    <message>
        <source>Quit without saving</source>
        <translation>不保存并退出</translation>
    </message>
    <message>
        <source>A folder for the trained weights</source>
        <translation>保存训练权重的文件夹</translation>
    </message>
    <message>
        <source>Saving…</source>
        <translation>正在保存…</translation>
    </message>
</context>
<context>
    <name>engine</name>
    <message>
        <source>{title} not found: {folder} does not exist (download it, or point --data-root at the folder that holds {base})</source>
        <translation>未找到 {title}：{folder} 不存在（请下载，或用 --data-root 指向存放 {base} 的文件夹）</translation>
    </message>
    <message>
        <source>unverified copy: {failed} differs from the official {title} files, so it was read as plain data</source>
        <translation>未经校验的副本：{failed} 与官方 {title} 文件不同，因此按纯数据读取</translation>
    </message>
    <message>
        <source>{path} is {size} bytes ({human}), more than a {title} batch file can be: it holds {images} images of 32 x 32 pixels, at most {limit} bytes; it was not read</source>
        <translation>{path} 有 {size} 字节（{human}），超过 {title} 批次文件可能的大小：它包含 {images} 张 32 x 32 像素的图像，最多 {limit} 字节；未读取该文件</translation>
    </message>
    <message>
        <source>{failed} failed the MD5 check against the official {title} sums, so it was not loaded (unpickling an unverified file can run code). Download the data again, or pass --allow-unverified to load a copy you trust as plain data</source>
        <translation>{failed} 未通过与官方 {title} 校验和的 MD5 检查，因此没有加载（反序列化未经验证的文件可能运行代码）。请重新下载数据，或加上 --allow-unverified，把你信任的副本作为纯数据加载</translation>
    </message>
    <message>
        <source>{title} in {where} has no complete split ({missing} is missing); the download ({command}) brings both splits</source>
        <translation>{where} 中的 {title} 没有完整的数据划分（缺少 {missing}）；下载（{command}）会带来两个划分</translation>
    </message>
    <message>
        <source>{title} in {where} has only the {present} split ({missing} is missing); the {split} split needs the download ({command}), which brings both splits</source>
        <translation>{where} 中的 {title} 只有 {present} 划分（缺少 {missing}）；{split} 划分需要下载（{command}），下载会带来两个划分</translation>
    </message>
    <message>
        <source>cannot find a free name beside {target} to keep the copy there</source>
        <translation>在 {target} 旁边找不到可用的名称来保留该副本</translation>
    </message>
    <message>
        <source>the downloaded {title} file {file} failed its MD5 check (a broken mirror or an interrupted transfer); try again</source>
        <translation>下载的 {title} 文件 {file} 未通过 MD5 检查（镜像损坏或传输中断）；请重试</translation>
    </message>
    <message>
        <source>cannot write to {root}: {reason}</source>
        <translation>无法写入 {root}：{reason}</translation>
    </message>
    <message>
        <source>could not download {title} ({reason}). Check the network, or fetch {file} on another machine and put it into {root}</source>
        <translation>无法下载 {title}（{reason}）。请检查网络，或在另一台机器上获取 {file}，再放到 {root} 中</translation>
    </message>
    <message>
        <source>no class folders in {folder}: expected {folder}/&lt;class&gt;/&lt;image files&gt;</source>
        <translation>{folder} 中没有类别文件夹：应为 {folder}/&lt;类别&gt;/&lt;图像文件&gt;</translation>
    </message>
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
        <translation>已忽略 {n} 个特殊文件（管道、设备）</translation>
    </message>
    <message>
        <source>{n} special files (pipes, devices) ignored</source>
        <translation>已忽略 {n} 个特殊文件（管道、设备）</translation>
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
        <translation>{n} 张图像过大、无法安全解码，显示为灰色</translation>
    </message>
    <message>
        <source>{n} images too large to decode safely shown grey</source>
        <translation>{n} 张图像过大、无法安全解码，显示为灰色</translation>
    </message>
    <message>
        <source>image folder {root} does not exist</source>
        <translation>图像文件夹 {root} 不存在</translation>
    </message>
    <message>
        <source>no images in {folder}: its class folders hold no {kinds}… files</source>
        <translation>{folder} 中没有图像：其类别文件夹中没有 {kinds}… 文件</translation>
    </message>
    <message>
        <source>empty class folders: {shown} and {more} more</source>
        <translation>空的类别文件夹：{shown} 等，另有 {more} 个</translation>
    </message>
    <message>
        <source>empty class folders: {shown}</source>
        <translation>空的类别文件夹：{shown}</translation>
    </message>
    <message>
        <source>{count} images of {side} x {side} pixels</source>
        <translation>{count} 张 {side} x {side} 像素的图像</translation>
    </message>
    <message>
        <source>{count} labels</source>
        <translation>{count} 个标签</translation>
    </message>
    <message>
        <source>{path} is {size} bytes ({human}), more than a {title} file can be: it holds at most {what}, {limit} bytes; it was not read</source>
        <translation>{path} 有 {size} 字节（{human}），超过 {title} 文件可能的大小：它最多包含{what}，共 {limit} 字节；未读取该文件</translation>
    </message>
    <message>
        <source>{title} not found: {raw} lacks {files} (download it, or point --data-root at the folder that holds {base}/)</source>
        <translation>未找到 {title}：{raw} 中缺少 {files}（请下载，或用 --data-root 指向存放 {base}/ 的文件夹）</translation>
    </message>
    <message>
        <source>{raw}: {labels_file} holds {labels} labels but {images_file} holds {images} images; each image needs one label</source>
        <translation>{raw}：{labels_file} 有 {labels} 个标签，但 {images_file} 有 {images} 张图像；每张图像需要一个标签</translation>
    </message>
    <message>
        <source>{path} changed while it was read</source>
        <translation>{path} 在读取时被更改</translation>
    </message>
    <message>
        <source>{path} is not an IDX file (it does not start with 0 0): MNIST images and labels come in IDX files, unpacked from the .gz download</source>
        <translation>{path} 不是 IDX 文件（它不以 0 0 开头）：MNIST 的图像和标签以 IDX 文件提供，由下载的 .gz 文件解压得到</translation>
    </message>
    <message>
        <source>{path} holds IDX element type 0x{kind}; MNIST files hold unsigned bytes (0x08), one per pixel or label</source>
        <translation>{path} 的 IDX 元素类型为 0x{kind}；MNIST 文件存放无符号字节（0x08），每个像素或标签一个</translation>
    </message>
    <message>
        <source>expected 3 (images x rows x columns)</source>
        <translation>应为 3（图像数 x 行 x 列）</translation>
    </message>
    <message>
        <source>expected 1 (one label per image)</source>
        <translation>应为 1（每张图像一个标签）</translation>
    </message>
    <message>
        <source>{path} has {n} dimension; {expected}</source>
        <translation>{path} 有 {n} 个维度；{expected}</translation>
    </message>
    <message>
        <source>{path} has {n} dimensions; {expected}</source>
        <translation>{path} 有 {n} 个维度；{expected}</translation>
    </message>
    <message>
        <source>{path} ends inside its header: the file is cut short</source>
        <translation>{path} 在文件头内就结束了：文件不完整</translation>
    </message>
    <message>
        <source>cannot read {path}: {why}</source>
        <translation>无法读取 {path}：{why}</translation>
    </message>
    <message>
        <source>{path} is not a regular file (a device, pipe or socket); put the data file there, or point --data-root at another copy</source>
        <translation>{path} 不是普通文件（而是设备、管道或套接字）；请把数据文件放在那里，或用 --data-root 指向另一份副本</translation>
    </message>
    <message>
        <source>{path} is not a regular file (a folder); put the data file there, or point --data-root at another copy</source>
        <translation>{path} 不是普通文件（而是文件夹）；请把数据文件放在那里，或用 --data-root 指向另一份副本</translation>
    </message>
    <message>
        <source>{path} is not a regular file (a link to nothing it can read); put the data file there, or point --data-root at another copy</source>
        <translation>{path} 不是普通文件（而是指向无法读取之处的链接）；请把数据文件放在那里，或用 --data-root 指向另一份副本</translation>
    </message>
    <message>
        <source>{path} is not a {title} batch: it holds {kind}, not a dict with &apos;data&apos; (the images) and &apos;labels&apos; (one class number per image)</source>
        <translation>{path} 不是 {title} 批次文件：它存放的是 {kind}，而不是含有 &apos;data&apos;（图像）和 &apos;labels&apos;（每张图像一个类别编号）的字典</translation>
    </message>
    <message>
        <source>{path} is not a {title} batch: it has no &apos;data&apos; (the images); its keys are {keys}</source>
        <translation>{path} 不是 {title} 批次文件：其中没有 &apos;data&apos;（图像）；它的键是 {keys}</translation>
    </message>
    <message>
        <source>{path} is not a {title} batch: its &apos;data&apos; should hold one row of 3072 bytes per image (32 x 32 pixels in 3 colours, uint8 (N, 3072)), found {what}</source>
        <translation>{path} 不是 {title} 批次文件：它的 &apos;data&apos; 应为每张图像一行 3072 字节（32 x 32 像素、3 个颜色通道，uint8 (N, 3072)），实际为 {what}</translation>
    </message>
    <message>
        <source>{path} is not the {title} metadata file: it has no list of class names under &apos;{key}&apos;</source>
        <translation>{path} 不是 {title} 元数据文件：&apos;{key}&apos; 下没有类别名称列表</translation>
    </message>
    <message>
        <source>{path} has no names of the 20 superclasses (the coarse labels) under &apos;coarse_label_names&apos;</source>
        <translation>{path} 的 &apos;coarse_label_names&apos; 下没有 20 个超类（粗标签）的名称</translation>
    </message>
    <message>
        <source>{path} was refused: {why}; a data file holds only plain data (numbers, text, lists, arrays)</source>
        <translation>{path} 被拒绝：{why}；数据文件只能包含纯数据（数字、文本、列表、数组）</translation>
    </message>
    <message>
        <source>{path} is not a readable {title} file: reading it needs more memory than there is</source>
        <translation>{path} 不是可读取的 {title} 文件：读取它需要的内存超过了现有内存</translation>
    </message>
    <message>
        <source>{path} is not a readable {title} file: it is damaged or is not a saved Python batch (pickle) ({error})</source>
        <translation>{path} 不是可读取的 {title} 文件：它已损坏，或不是保存的 Python 批次（pickle）（{error}）</translation>
    </message>
    <message>
        <source>{path} is not a {title} batch: it has no &apos;labels&apos; (a batch holds its images under &apos;data&apos; and one class number per image under &apos;labels&apos;)</source>
        <translation>{path} 不是 {title} 批次文件：它没有 &apos;labels&apos;（批次文件在 &apos;data&apos; 下存放图像，在 &apos;labels&apos; 下为每张图像存放一个类别编号）</translation>
    </message>
    <message>
        <source>{path} has no superclass of each image (the coarse labels) under &apos;coarse_labels&apos;</source>
        <translation>{path} 的 &apos;coarse_labels&apos; 下没有每张图像的超类（粗标签）</translation>
    </message>
    <message>
        <source>{path} is not a readable {title} file: it ends too early, as a file cut short does (download it again)</source>
        <translation>{path} 不是可读取的 {title} 文件：它提前结束，像是被截断的文件（请重新下载）</translation>
    </message>
    <message>
        <source>the {what} {path} is too long: {n} bytes, where a path holds at most {path_max} and each folder or file name in it at most {name_max}</source>
        <translation>{what} {path} 太长：共 {n} 字节，而路径最多 {path_max} 字节，其中每个文件夹名或文件名最多 {name_max} 字节</translation>
    </message>
    <message>
        <source>{where}: {n} labels for {count} images; each image needs one label</source>
        <translation>{where}：{n} 个标签对应 {count} 张图像；每张图像需要一个标签</translation>
    </message>
    <message>
        <source>{path} holds {size} bytes but its header describes {shape} ({expected} bytes); the file is cut short or is not what its header says</source>
        <translation>{path} 有 {size} 字节，但其文件头描述的是 {shape}（{expected} 字节）；文件不完整，或与文件头所述不符</translation>
    </message>
    <message>
        <source>built-in sample: 1,000 CIFAR-10 test images as JPEG copies, not pixel-identical to the official files</source>
        <translation>内置样本：1,000 张 CIFAR-10 测试图像的 JPEG 副本，与官方文件并非逐像素相同</translation>
    </message>
    <message>
        <source>{steps} steps of SGD with momentum {momentum}, learning rate {lr}, batch {batch}, seed {seed}, preprocessing {preprocess}</source>
        <translation>带动量 {momentum} 的 SGD {steps} 步，学习率 {lr}，批大小 {batch}，种子 {seed}，预处理 {preprocess}</translation>
    </message>
    <message>
        <source>{note}; accuracy on the first {n} held-out images</source>
        <translation>{note}；准确率基于前 {n} 张留出图像</translation>
    </message>
    <message>
        <source>{steps} steps of Adam, learning rate {lr}, batch {batch}, seed {seed}, preprocessing {preprocess}</source>
        <translation>Adam {steps} 步，学习率 {lr}，批大小 {batch}，种子 {seed}，预处理 {preprocess}</translation>
    </message>
    <message>
        <source>{cpu} ({n} cores)</source>
        <translation>{cpu}（{n} 核）</translation>
    </message>
    <message>
        <source>device &apos;{device}&apos; is not available here; available: {listed}</source>
        <translation>此处没有设备“{device}”；可用的有：{listed}</translation>
    </message>
    <message>
        <source>x * 255 clipped to [0, 255], as TensorBoard stores floats (the default)</source>
        <translation>x * 255 截断到 [0, 255]，与 TensorBoard 存储浮点数的方式相同（默认）</translation>
    </message>
    <message>
        <source>the batch&apos;s min..max stretched to black..white</source>
        <translation>将本批次的最小值..最大值拉伸为黑..白</translation>
    </message>
    <message>
        <source>0 is mid-grey, -max|x| black, +max|x| white</source>
        <translation>0 为中灰，-max|x| 为黑，+max|x| 为白</translation>
    </message>
    <message>
        <source>each image&apos;s own min..max stretched to black..white</source>
        <translation>将每张图像各自的最小值..最大值拉伸为黑..白</translation>
    </message>
    <message>
        <source>output - input, shown like signed (no change is mid-grey)</source>
        <translation>输出 - 输入，按 signed 方式显示（无变化为中灰）</translation>
    </message>
    <message>
        <source>cannot create log dir {logdir}: {path} is a file</source>
        <translation>无法创建日志目录 {logdir}：{path} 是一个文件</translation>
    </message>
    <message>
        <source>cannot create log dir {logdir}: {path} is not writable</source>
        <translation>无法创建日志目录 {logdir}：{path} 不可写</translation>
    </message>
    <message>
        <source>cannot create log dir {logdir}: a part of that path is a file</source>
        <translation>无法创建日志目录 {logdir}：该路径的某一部分是文件</translation>
    </message>
    <message>
        <source>cannot create log dir {logdir}: no such place</source>
        <translation>无法创建日志目录 {logdir}：没有这个位置</translation>
    </message>
    <message>
        <source>std {std}; one scale for every stack (white: {peak})</source>
        <translation>标准差 {std}；所有堆叠共用一个刻度（白色：{peak}）</translation>
    </message>
    <message>
        <source>the first {shown} of its {total} channels (their statistics too)</source>
        <translation>其 {total} 个通道中的前 {shown} 个（统计也只算这些）</translation>
    </message>
    <message>
        <source>exit code {code}</source>
        <translation>退出码 {code}</translation>
    </message>
    <message>
        <source>{name}: the module was stopped; Restart module runs it again</source>
        <translation>{name}:模块已停止;点击“重启模块”可再次运行</translation>
    </message>
    <message>
        <source>starting</source>
        <translation>启动</translation>
    </message>
    <message>
        <source>forward</source>
        <translation>forward</translation>
    </message>
    <message>
        <source>killed by signal {signal}</source>
        <translation>被信号 {signal} 终止</translation>
    </message>
    <message>
        <source>{name}: the module&apos;s process ended ({how})</source>
        <translation>{name}:模块的进程已结束({how})</translation>
    </message>
    <message>
        <source>loading</source>
        <translation>加载</translation>
    </message>
    <message>
        <source>{name}: {what} did not finish within the time limit ({limit} s), so its process was stopped</source>
        <translation>{name}:{what}未能在时间限制({limit} 秒)内完成,因此已停止它的进程</translation>
    </message>
    <message>
        <source>{name}: the module was restarted</source>
        <translation>{name}:模块已重启</translation>
    </message>
    <message>
        <source>weights file {path} does not exist</source>
        <translation>权重文件 {path} 不存在</translation>
    </message>
    <message>
        <source>{path} is not a weights file (not a file)</source>
        <translation>{path} 不是权重文件（不是文件）</translation>
    </message>
    <message>
        <source>{path} holds no state dict</source>
        <translation>{path} 中没有 state dict</translation>
    </message>
    <message>
        <source>{path} does not fit the network: {problems}</source>
        <translation>{path} 与网络不匹配：{problems}</translation>
    </message>
    <message>
        <source>{path}: {key} holds {dtype} values; the network&apos;s weights are real floating-point numbers</source>
        <translation>{path}:{key} 的值为 {dtype};网络的权重应为实数浮点数</translation>
    </message>
    <message>
        <source>{path} holds {size} MB; this network&apos;s weights take at most {limit} MB, so it is not read</source>
        <translation>{path} 含有 {size} MB;该网络的权重最多 {limit} MB,因此不读取它</translation>
    </message>
    <message>
        <source>{path} is not a weights file ({reason})</source>
        <translation>{path} 不是权重文件（{reason}）</translation>
    </message>
    <message>
        <source>{path} does not fit the network ({reason})</source>
        <translation>{path} 与网络不匹配（{reason}）</translation>
    </message>
    <message>
        <source>{missing} is not in the data folder: these are the built-in sample&apos;s images, as read; the activations follow once PyTorch has loaded</source>
        <translation>数据文件夹中没有 {missing}：这是内置样本中读入的原始图像；PyTorch 加载完成后显示激活结果</translation>
    </message>
    <message>
        <source>the images as read; the preprocessing and the activations follow once PyTorch has loaded</source>
        <translation>读入的原始图像；PyTorch 加载完成后显示预处理和激活结果</translation>
    </message>
    <message>
        <source>{n} images of {h}×{w} and {k} activations make {total} values in one step, more than the {most} it may hold (about {gb} GB); choose a smaller batch or image size, or fewer activations</source>
        <translation>{n} 张 {h}×{w} 的图像和 {k} 个激活函数在一步中共有 {total} 个数值，超过一步最多可容纳的 {most} 个（约 {gb} GB）；请选择更小的批大小或图像尺寸，或减少激活函数</translation>
    </message>
    <message>
        <source>shown {display}: the input&apos;s values are not pixels in [0, 1]</source>
        <translation>以 {display} 显示：输入的值不是 [0, 1] 内的像素</translation>
    </message>
    <message>
        <source>pixels / 255, in [0, 1] (torchvision&apos;s ToTensor; the default)</source>
        <translation>像素 / 255，取值 [0, 1]（torchvision 的 ToTensor；默认）</translation>
    </message>
    <message>
        <source>(pixels / 255 - mean) / std per channel (the data set&apos;s statistics)</source>
        <translation>按通道计算 (像素 / 255 - 均值) / 标准差（数据集的统计量）</translation>
    </message>
    <message>
        <source>pixels / 255 * 2 - 1, in [-1, 1]</source>
        <translation>像素 / 255 * 2 - 1,取值 [-1, 1]</translation>
    </message>
    <message>
        <source>a Laplacian edge filter per channel: signed values, as inside a network</source>
        <translation>逐通道的拉普拉斯边缘滤波：有正有负的值，如同网络内部</translation>
    </message>
    <message>
        <source>slope for x &lt; 0</source>
        <translation>x &lt; 0 时的斜率</translation>
    </message>
    <message>
        <source>scale of the negative part</source>
        <translation>负半部分的缩放系数</translation>
    </message>
    <message>
        <source>half-width of the zeroed band</source>
        <translation>置零区间的半宽</translation>
    </message>
    <message>
        <source>random seed (results are reproducible)</source>
        <translation>随机种子（结果可复现）</translation>
    </message>
    <message>
        <source>true or false</source>
        <translation>true 或 false</translation>
    </message>
    <message>
        <source>one of {choices}</source>
        <translation>{choices} 之一</translation>
    </message>
    <message>
        <source>an integer in {interval}</source>
        <translation>{interval} 内的整数</translation>
    </message>
    <message>
        <source>a number in {interval}</source>
        <translation>{interval} 内的数</translation>
    </message>
    <message>
        <source>{activation}: {name}={value} is not allowed; expected {allowed}</source>
        <translation>{activation}：不允许 {name}={value}；应为 {allowed}</translation>
    </message>
    <message>
        <source>unknown activation &apos;{name}&apos;; known: {known}</source>
        <translation>未知的激活函数“{name}”；已知的有：{known}</translation>
    </message>
    <message>
        <source>cannot read activation &apos;{shown}&apos;; write it as name or name(key=value, ...), e.g. leaky_relu(negative_slope=0.2)</source>
        <translation>无法识别激活函数“{shown}”；请写成 name 或 name(key=value, ...)，例如 leaky_relu(negative_slope=0.2)</translation>
    </message>
    <message>
        <source>learnable leaky ReLU (at its initial slope)</source>
        <translation>可学习的 leaky ReLU（取其初始斜率）</translation>
    </message>
    <message>
        <source>leaky ReLU with a random slope in [lower, upper]</source>
        <translation>斜率在 [lower, upper] 内随机的 leaky ReLU</translation>
    </message>
    <message>
        <source>unknown activation &apos;{name}&apos;; did you mean {near}?</source>
        <translation>未知的激活函数“{name}”；您是指 {near} 吗？</translation>
    </message>
    <message>
        <source>x: no activation (the linear baseline a network is compared to)</source>
        <translation>x：不使用激活函数（用来对比网络的线性基线）</translation>
    </message>
    <message>
        <source>scaled ELU (self-normalising)</source>
        <translation>缩放的 ELU(自归一化)</translation>
    </message>
    <message>
        <source>softmax over the colour channels</source>
        <translation>在颜色通道上做 softmax</translation>
    </message>
    <message>
        <source>softmin over the colour channels</source>
        <translation>在颜色通道上做 softmin</translation>
    </message>
    <message>
        <source>log softmax over the colour channels</source>
        <translation>在颜色通道上做 log softmax</translation>
    </message>
    <message>
        <source>prelu(num_parameters={n}) needs images with {n} channels; these have {channels} (use num_parameters=1)</source>
        <translation>prelu(num_parameters={n}) 需要 {n} 个通道的图像；这些图像有 {channels} 个（请使用 num_parameters=1）</translation>
    </message>
    <message>
        <source>1 shared slope, or 3 (one per channel)</source>
        <translation>1 个共享斜率，或 3 个（每个通道一个）</translation>
    </message>
    <message>
        <source>initial slope for x &lt; 0</source>
        <translation>x &lt; 0 时的初始斜率</translation>
    </message>
    <message>
        <source>lowest random slope</source>
        <translation>随机斜率的下限</translation>
    </message>
    <message>
        <source>highest random slope</source>
        <translation>随机斜率的上限</translation>
    </message>
    <message>
        <source>random slopes (true) or their mean (false)</source>
        <translation>随机斜率（true）或其均值（false）</translation>
    </message>
    <message>
        <source>lower clip value</source>
        <translation>截断下限</translation>
    </message>
    <message>
        <source>upper clip value</source>
        <translation>截断上限</translation>
    </message>
    <message>
        <source>sharpness</source>
        <translation>陡峭程度</translation>
    </message>
    <message>
        <source>linear above beta * x &gt; threshold</source>
        <translation>beta * x &gt; threshold 时为线性</translation>
    </message>
    <message>
        <source>values &lt;= threshold ...</source>
        <translation>小于等于 threshold 的值……</translation>
    </message>
    <message>
        <source>... are replaced by value</source>
        <translation>……被替换为 value</translation>
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
        <translation>{total} 个通道中有 {dead} 个死亡（全为零）</translation>
    </message>
    <message>
        <source>clipped {v}: below {below}, above {above}</source>
        <translation>截断 {v}：低于下限 {below}，高于上限 {above}</translation>
    </message>
    <message>
        <source>clipped below {v}</source>
        <translation>低于下限被截断 {v}</translation>
    </message>
    <message>
        <source>clipped above {v}</source>
        <translation>高于上限被截断 {v}</translation>
    </message>
    <message>
        <source>saturated {v}</source>
        <translation>饱和 {v}</translation>
    </message>
    <message>
        <source>{path} is {size} bytes ({human}), more than a {title} metadata file (the class names) can be: at most {limit} bytes; it was not read</source>
        <translation>{path} 有 {size} 字节（{human}），超过 {title} 元数据文件（类别名称）可能的大小：最多 {limit} 字节；未读取该文件</translation>
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
        <source>clipped {v}</source>
        <translation>截断 {v}</translation>
    </message>
    <message>
        <source>each activation&apos;s own training steps and held-out evaluations, timed after an untimed warm-up (one training step and one held-out batch of every activation, on throwaway networks)</source>
        <translation>每个激活函数自身的训练步骤与留出集评估，在一次不计时的预热之后计时（在用后即弃的网络上，为每个激活函数各做一个训练步骤和一个留出集批次）</translation>
    </message>
    <message>
        <source>stayed at chance: its held-out accuracy ended at a guess&apos;s ({chance}): it learned nothing, whatever its loss (a uniform guess&apos;s is ln {classes} = {loss}), which is not a divergence. Too large a step can leave every unit dead or saturated (try a smaller learning rate), a saturating activation such as Sigmoid can learn too slowly to leave it in so few steps, or the data holds nothing to learn.</source>
        <translation>停留在随机水平：其留出集准确率最终等于随机猜测（{chance}）：无论损失多少（均匀猜测的损失为 ln {classes} = {loss}），它什么也没学到，这不是发散。步长过大可能使所有单元失活或饱和（请试更小的学习率）；Sigmoid 这类会饱和的激活函数学得太慢，在这么少的步数内走不出这一状态；或者数据里没有可学的东西。</translation>
    </message>
    <message>
        <source>Sigmoid ({sigmoid}) scores below identity ({identity}), and that is a true result: its outputs are centred on 0.5, not 0, so every unit of the next layer sees only positive inputs; it saturates, and its slope is at most 0.25, so the gradients that reach the first layer are small and it learns slowly. The depth view (Show: Through a deep network, or actlens deep) shows why, layer by layer.</source>
        <translation>Sigmoid（{sigmoid}）的得分低于 identity（{identity}），这是真实的结果：它的输出以 0.5 而不是 0 为中心，所以下一层的每个单元只看到正的输入；它会饱和，斜率最多只有 0.25，所以传到第一层的梯度很小，学得很慢。深度视图（显示：穿过深层网络，或 actlens deep）逐层展示了原因。</translation>
    </message>
    <message>
        <source>trained on the train split when it is on disk (held out: the test split), else on the first {cut} of the test split (held out: the last {rest})</source>
        <translation>训练集在磁盘上时在训练集上训练（留出集：测试集），否则在测试集的前 {cut} 上训练（留出集：最后 {rest}）</translation>
    </message>
    <message>
        <source>{optimiser}, learning rate {lr}, {epochs} of {batches} of {batch} ({steps}), seed {seed}, preprocessing {preprocess}, device {device}; {data}</source>
        <translation>{optimiser}，学习率 {lr}，{epochs}，每轮 {batches}，每批 {batch} 张（共 {steps}），种子 {seed}，预处理 {preprocess}，设备 {device}；{data}</translation>
    </message>
    <message>
        <source>{activations}, each from the same initial weights, with {optimiser}, learning rate {lr}, {epochs} in batches of {batch}, seed {seed}, preprocessing {preprocess}, device {device}; {data}</source>
        <translation>{activations}，各自从相同的初始权重开始，使用 {optimiser}，学习率 {lr}，{epochs}，每批 {batch} 张，种子 {seed}，预处理 {preprocess}，设备 {device}；{data}</translation>
    </message>
    <message>
        <source>trained on the first {cut} of the test split, held out: the last {rest} ({why})</source>
        <translation>在测试集的前 {cut} 上训练，留出集：最后 {rest}（{why}）</translation>
    </message>
    <message>
        <source>trained on the first {cut} of the test split, held out: the last {rest}</source>
        <translation>在测试集的前 {cut} 上训练，留出集：最后 {rest}</translation>
    </message>
    <message>
        <source>trained on the train split ({count} images), held out: the test split</source>
        <translation>在训练集上训练（{count} 张图像），留出集：测试集</translation>
    </message>
    <message>
        <source>trained on the first {cut} test images, held out: the last {rest} (no train split used)</source>
        <translation>在前 {cut} 张测试图像上训练，留出集：最后 {rest} 张（未使用训练集）</translation>
    </message>
    <message>
        <source>{optimiser}, learning rate {lr}, {epochs} in batches of {batch}, seed {seed}, preprocessing {preprocess}, device {device}</source>
        <translation>{optimiser}，学习率 {lr}，{epochs}，每批 {batch} 张，种子 {seed}，预处理 {preprocess}，设备 {device}</translation>
    </message>
    <message>
        <source>{activations}, each from the same initial weights, with {optimiser}, learning rate {lr}, {epochs} of {batches} of {batch} ({steps}), seed {seed}, preprocessing {preprocess}, device {device}; {data}</source>
        <translation>{activations}，各自从相同的初始权重开始，使用 {optimiser}，学习率 {lr}，{epochs}，每轮 {batches}，每批 {batch} 张（共 {steps}），种子 {seed}，预处理 {preprocess}，设备 {device}；{data}</translation>
    </message>
    <message>
        <source>trained on the train split, held out: the test split</source>
        <translation>在训练集上训练，留出集：测试集</translation>
    </message>
    <message>
        <source>the train split is left out, as asked</source>
        <translation>按要求不使用训练集</translation>
    </message>
    <message>
        <source>the data folder has no train split</source>
        <translation>数据文件夹中没有训练集</translation>
    </message>
    <message>
        <source>trained on the first {cut} test images, held out: the last {rest} ({why})</source>
        <translation>在前 {cut} 张测试图像上训练，留出集：最后 {rest} 张（{why}）</translation>
    </message>
    <message>
        <source>{n} epoch</source>
        <translation>{n} 轮</translation>
    </message>
    <message>
        <source>{n} epochs</source>
        <translation>{n} 轮</translation>
    </message>
    <message>
        <source>{n} batch</source>
        <translation>{n} 批</translation>
    </message>
    <message>
        <source>{n} batches</source>
        <translation>{n} 批</translation>
    </message>
    <message>
        <source>{n} step</source>
        <translation>{n} 步</translation>
    </message>
    <message>
        <source>{n} steps</source>
        <translation>{n} 步</translation>
    </message>
    <message>
        <source>saving the trained weights in {folder} failed ({reason}); they are kept until saved elsewhere</source>
        <translation>在 {folder} 中保存训练好的权重失败({reason});权重会保留,直到另存到其他位置</translation>
    </message>
    <message>
        <source>trained runs cannot be saved in {root} ({reason}); choose another data folder before training</source>
        <translation>无法在 {root} 中保存训练结果({reason});请在训练前选择其他数据文件夹</translation>
    </message>
    <message>
        <source>{path}: {cls}() needs arguments ({needed}); give them defaults so it can be built as it is</source>
        <translation>{path}：{cls}() 需要参数（{needed}）；请为它们设置默认值，使其可以直接构建</translation>
    </message>
    <message>
        <source>{path}: forward returned no image-shaped tensor (N, C, H, W) of real floats for a batch of {batch}; it returned {shapes}</source>
        <translation>{path}：对于形状为 {batch} 的批次，forward 没有返回图像形状 (N, C, H, W) 的实数浮点张量；它返回了 {shapes}</translation>
    </message>
    <message>
        <source>{where}: the file failed to run ({reason})</source>
        <translation>{where}：文件运行失败（{reason}）</translation>
    </message>
    <message>
        <source>{path} defines no nn.Module named {name} (it defines: {found})</source>
        <translation>{path} 中没有名为 {name} 的 nn.Module（它定义了：{found}）</translation>
    </message>
    <message>
        <source>{where}: building {cls}() failed ({reason})</source>
        <translation>{where}：构建 {cls}() 失败（{reason}）</translation>
    </message>
    <message>
        <source>{where}: forward failed ({reason})</source>
        <translation>{where}：forward 失败（{reason}）</translation>
    </message>
    <message>
        <source>{path} defines no nn.Module subclass</source>
        <translation>{path} 中没有定义 nn.Module 子类</translation>
    </message>
    <message>
        <source>{path} defines several modules ({found}); name one as {name}:CLASS</source>
        <translation>{path} 定义了多个模块（{found}）；请用 {name}:CLASS 指定其中一个</translation>
    </message>
    <message>
        <source>{path}: forward returned {kind}, not a tensor, a tuple or a dict of tensors</source>
        <translation>{path}：forward 返回了 {kind}，而不是张量、元组或张量字典</translation>
    </message>
</context>
</TS>
