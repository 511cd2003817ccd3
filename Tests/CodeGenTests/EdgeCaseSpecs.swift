/// Small specs that stress the kernels' edges: channel counts around the SIMD width W = 16 (1, W−1, W, W+1,
/// 2W+1), odd spatial sizes, stride/padding combinations, depthwise, pools, add, concat.
enum EdgeCaseSpecs {
    static let all: [(name: String, source: String)] = [
        ("channels", """
            network edge_channels
            input 1x9x9 scale=1/255 mean=0.1307 std=0.3081
            a: conv2d filters=1 kernel=3 padding=same activation=relu
            b: conv2d filters=15 kernel=3 activation=relu
            c: conv2d filters=16 kernel=3 stride=2 padding=same
            d: conv2d filters=17 kernel=1 activation=relu
            e: conv2d filters=33 kernel=3 padding=same activation=relu
            f: flatten
            g: dense units=17 activation=relu
            h: dense units=10
            softmax
            """),
        ("strides", """
            network edge_strides
            input 1x13x11 scale=1/255 mean=0.1307 std=0.3081
            a: conv2d filters=5 kernel=5 stride=2 padding=same activation=relu
            b: conv2d filters=31 kernel=2x3 stride=2x1 padding=same activation=relu
            c: conv2d filters=16 kernel=3 stride=3
            p: maxpool size=2 padding=same
            f: flatten
            fc: dense units=3
            softmax
            """),
        ("branches", """
            network edge_branches
            input 1x7x7 scale=1/255 mean=0.1307 std=0.3081
            stem: conv2d filters=4 kernel=3 padding=same activation=relu
            a: conv2d filters=4 kernel=3 padding=same bias=false
            abn: batchnorm
            sum: add(stem, abn)
            sumbn: batchnorm
            sumrelu: relu
            dw: depthwise_conv2d(sumrelu) kernel=3 multiplier=2 padding=same stride=2 activation=relu
            side: conv2d(sumrelu) filters=3 kernel=1 stride=2
            cat: concat(dw, side) activation=relu
            ap: avgpool size=2 stride=1 padding=same
            gp: global_avgpool
            fc: dense units=10
            softmax
            """),
        ("pools", """
            network edge_pools
            input 1x15x15 scale=1/255 mean=0.1307 std=0.3081
            m0: maxpool size=2 stride=1
            t: conv2d filters=3 kernel=3 padding=same activation=relu
            m1: maxpool size=3 stride=1 padding=same
            a: conv2d filters=17 kernel=3 activation=relu
            m: maxpool size=3 stride=2
            v: avgpool size=3 stride=2 padding=same
            r: relu
            c: conv2d filters=8 kernel=3 padding=same
            f: flatten
            fc: dense units=7
            softmax
            """),
    ]
}
