import RealModule

/// Cumulative distribution functions used for p-values and intervals.
///
/// `erfc` and `logGamma` come from swift-numerics (RealModule). The
/// regularized incomplete beta and gamma functions, which swift-numerics does
/// not provide, are evaluated as in Press, Teukolsky, Vetterling and Flannery,
/// *Numerical Recipes* (3rd ed., 2007), sections 6.2 and 6.4: the series and
/// the continued fraction (modified Lentz's method), each used where it
/// converges fast. The normal quantile is Wichura's algorithm AS 241 (Applied
/// Statistics 37, 1988), accurate to about 1e-16.
public enum Distributions {
    /// P(Z <= z) for a standard normal Z.
    public static func normalCDF(_ z: Double) -> Double { 0.5 * Double.erfc(-z / 2.0.squareRoot()) }

    /// The z with P(Z <= z) = p (AS 241, PPND16).
    public static func normalQuantile(_ p: Double) -> Double {
        precondition(p > 0 && p < 1, "normalQuantile needs 0 < p < 1")
        let q = p - 0.5
        if abs(q) <= 0.425 {
            let r = 0.180625 - q * q
            let num = ((((((2509.0809287301226727 * r + 33430.575583588128105) * r + 67265.770927008700853) * r
                + 45921.953931549871457) * r + 13731.693765509461125) * r + 1971.5909503065514427) * r + 133.14166789178437745) * r
                + 3.387132872796366608
            let den = ((((((5226.495278852545925 * r + 28729.085735721942674) * r + 39307.89580009271061) * r
                + 21213.794301586595867) * r + 5394.1960214247511077) * r + 687.1870074920579083) * r + 42.313330701600911252) * r + 1
            return q * num / den
        }
        var r = q < 0 ? p : 1 - p
        r = (-Double.log(r)).squareRoot()
        var x: Double
        if r <= 5 {
            r -= 1.6
            let num = ((((((7.7454501427834140764e-4 * r + 0.0227238449892691845833) * r + 0.24178072517745061177) * r
                + 1.27045825245236838258) * r + 3.64784832476320460504) * r + 5.7694972214606914055) * r + 4.6303378461565452959) * r
                + 1.42343711074968357734
            let den = ((((((1.05075007164441684324e-9 * r + 5.475938084995344946e-4) * r + 0.0151986665636164571966) * r
                + 0.14810397642748007459) * r + 0.68976733498510000455) * r + 1.6763848301838038494) * r + 2.05319162663775882187) * r + 1
            x = num / den
        } else {
            r -= 5
            let num = ((((((2.01033439929228813265e-7 * r + 2.71155556874348757815e-5) * r + 0.0012426609473880784386) * r
                + 0.026532189526576123093) * r + 0.29656057182850489123) * r + 1.7848265399172913358) * r + 5.4637849111641143699) * r
                + 6.6579046435011037772
            let den = ((((((2.04426310338993978564e-15 * r + 1.4215117583164458887e-7) * r + 1.8463183175100546818e-5) * r
                + 7.868691311456132591e-4) * r + 0.0148753612908506148525) * r + 0.13692988092273580531) * r + 0.59983220655588793769) * r + 1
            x = num / den
        }
        return q < 0 ? -x : x
    }

    /// P(T <= t) for Student's t with `df` degrees of freedom (df may be fractional, as in Welch's test).
    public static func studentTCDF(_ t: Double, df: Double) -> Double {
        let x = df / (df + t * t)
        let tail = 0.5 * regularizedBeta(df / 2, 0.5, x)
        return t >= 0 ? 1 - tail : tail
    }

    /// Two-sided p-value of a t statistic.
    public static func studentTTwoSided(_ t: Double, df: Double) -> Double {
        min(1, regularizedBeta(df / 2, 0.5, df / (df + t * t)))
    }

    /// The t with P(T <= t) = p, by bisection on the CDF (to 1e-12).
    public static func studentTQuantile(_ p: Double, df: Double) -> Double {
        var lo = -1e3, hi = 1e3
        for _ in 0..<200 {
            let mid = (lo + hi) / 2
            if studentTCDF(mid, df: df) < p { lo = mid } else { hi = mid }
            if hi - lo < 1e-13 { break }
        }
        return (lo + hi) / 2
    }

    /// P(X > x) for a chi-square X with `k` degrees of freedom.
    public static func chiSquareSurvival(_ x: Double, k: Double) -> Double {
        x <= 0 ? 1 : regularizedGammaQ(k / 2, x / 2)
    }

    /// I_x(a, b), the regularized incomplete beta function.
    public static func regularizedBeta(_ a: Double, _ b: Double, _ x: Double) -> Double {
        if x <= 0 { return 0 }
        if x >= 1 { return 1 }
        let lnFront = Double.logGamma(a + b) - Double.logGamma(a) - Double.logGamma(b) + a * Double.log(x) + b * Double.log(onePlus: -x)
        let front = Double.exp(lnFront)
        if x < (a + 1) / (a + b + 2) { return front * betaFraction(a, b, x) / a }
        return 1 - front * betaFraction(b, a, 1 - x) / b
    }

    /// The continued fraction for I_x(a, b) (NR 6.4, modified Lentz).
    static func betaFraction(_ a: Double, _ b: Double, _ x: Double) -> Double {
        let tiny = 1e-300
        let qab = a + b, qap = a + 1, qam = a - 1
        var c = 1.0
        var d = 1 - qab * x / qap
        if abs(d) < tiny { d = tiny }
        d = 1 / d
        var h = d
        for m in 1...10_000 {
            let m = Double(m), m2 = 2 * m
            var aa = m * (b - m) * x / ((qam + m2) * (a + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            h *= d * c
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
            d = 1 + aa * d; if abs(d) < tiny { d = tiny }
            c = 1 + aa / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-16 { break }
        }
        return h
    }

    /// Q(a, x) = 1 - P(a, x), the regularized upper incomplete gamma function (NR 6.2).
    public static func regularizedGammaQ(_ a: Double, _ x: Double) -> Double {
        if x <= 0 { return 1 }
        let lnFront = -x + a * Double.log(x) - Double.logGamma(a)
        if x < a + 1 {
            // Series for P.
            var ap = a, sum = 1 / a, del = sum
            for _ in 0..<10_000 {
                ap += 1
                del *= x / ap
                sum += del
                if abs(del) < abs(sum) * 1e-16 { break }
            }
            return 1 - sum * Double.exp(lnFront)
        }
        // Continued fraction for Q (modified Lentz).
        let tiny = 1e-300
        var b = x + 1 - a, c = 1 / tiny, d = 1 / b, h = d
        for i in 1...10_000 {
            let an = -Double(i) * (Double(i) - a)
            b += 2
            d = an * d + b; if abs(d) < tiny { d = tiny }
            c = b + an / c; if abs(c) < tiny { c = tiny }
            d = 1 / d
            let del = d * c
            h *= del
            if abs(del - 1) < 1e-16 { break }
        }
        return Double.exp(lnFront) * h
    }
}
