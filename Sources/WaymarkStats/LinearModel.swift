/// Ordinary least squares with cluster-robust (CR1) standard errors, as
/// Stata's `regress, vce(cluster)` and statsmodels' `cov_type="cluster"`:
/// V = G/(G-1) * (N-1)/(N-K) * (X'X)^-1 [sum over clusters of X_g'u_g u_g'X_g] (X'X)^-1,
/// with t statistics on G - 1 degrees of freedom.
public struct ClusteredOLS: Sendable {
    public var names: [String]
    public var coefficients: [Double]
    public var standardErrors: [Double]
    public var t: [Double]
    public var p: [Double]
    public var n: Int
    public var clusters: Int
    public var rSquared: Double

    /// `rows` are the regressors of each observation (include a column of 1s
    /// for an intercept); `cluster` is each observation's cluster id. Nil when
    /// X'X is singular or there are fewer than two clusters.
    public init?(names: [String], rows: [[Double]], y: [Double], cluster: [Int]) {
        let k = names.count, n = y.count
        guard n > k, rows.count == n, cluster.count == n else { return nil }
        var xtx = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        var xty = [Double](repeating: 0, count: k)
        for i in 0..<n {
            let x = rows[i]
            for a in 0..<k {
                xty[a] += x[a] * y[i]
                for b in 0..<k { xtx[a][b] += x[a] * x[b] }
            }
        }
        guard let inverse = ClusteredOLS.invert(xtx) else { return nil }
        let beta = (0..<k).map { a in (0..<k).reduce(0) { $0 + inverse[a][$1] * xty[$1] } }
        // Score sums per cluster, in order of first appearance, so the sums
        // (and the bytes written) do not depend on hash order.
        var clusterIndex: [Int: Int] = [:]
        var scores: [[Double]] = []
        var ssr = 0.0
        let meanY = y.reduce(0, +) / Double(n)
        var sst = 0.0
        for i in 0..<n {
            let fitted = (0..<k).reduce(0) { $0 + rows[i][$1] * beta[$1] }
            let u = y[i] - fitted
            ssr += u * u
            sst += (y[i] - meanY) * (y[i] - meanY)
            let g = clusterIndex[cluster[i]] ?? {
                clusterIndex[cluster[i]] = scores.count
                scores.append([Double](repeating: 0, count: k))
                return scores.count - 1
            }()
            for a in 0..<k { scores[g][a] += rows[i][a] * u }
        }
        let g = scores.count
        guard g >= 2 else { return nil }
        var meat = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for s in scores { for a in 0..<k { for b in 0..<k { meat[a][b] += s[a] * s[b] } } }
        let c = Double(g) / Double(g - 1) * Double(n - 1) / Double(n - k)
        let v = ClusteredOLS.multiply(ClusteredOLS.multiply(inverse, meat), inverse)
        self.names = names
        coefficients = beta
        standardErrors = (0..<k).map { (c * v[$0][$0]).squareRoot() }
        t = (0..<k).map { beta[$0] / (c * v[$0][$0]).squareRoot() }
        let df = Double(g - 1)
        p = t.map { Distributions.studentTTwoSided($0, df: df) }
        self.n = n
        clusters = g
        rSquared = sst > 0 ? 1 - ssr / sst : .nan
    }

    static func multiply(_ a: [[Double]], _ b: [[Double]]) -> [[Double]] {
        let k = a.count
        return (0..<k).map { i in (0..<k).map { j in (0..<k).reduce(0) { $0 + a[i][$1] * b[$1][j] } } }
    }

    /// Gauss-Jordan elimination with partial pivoting; nil when singular.
    static func invert(_ m: [[Double]]) -> [[Double]]? {
        let k = m.count
        var a = m
        var inv = (0..<k).map { i in (0..<k).map { $0 == i ? 1.0 : 0.0 } }
        let scale = m.flatMap { $0 }.map(abs).max() ?? 1
        for col in 0..<k {
            guard let pivot = (col..<k).max(by: { abs(a[$0][col]) < abs(a[$1][col]) }), abs(a[pivot][col]) > 1e-12 * scale else { return nil }
            a.swapAt(col, pivot)
            inv.swapAt(col, pivot)
            let d = a[col][col]
            for j in 0..<k { a[col][j] /= d; inv[col][j] /= d }
            for r in 0..<k where r != col {
                let f = a[r][col]
                if f == 0 { continue }
                for j in 0..<k { a[r][j] -= f * a[col][j]; inv[r][j] -= f * inv[col][j] }
            }
        }
        return inv
    }
}
