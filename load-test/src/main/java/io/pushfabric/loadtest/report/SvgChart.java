package io.pushfabric.loadtest.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as inline SVG (no scripts, no CDN): series of (x, y) points, a linear or logarithmic y axis,
 * optional shaded x ranges (phases) and optional custom x tick labels.
 */
final class SvgChart {
    private static final String[] COLORS = {"#1f77b4", "#d62728", "#2ca02c", "#ff7f0e", "#9467bd", "#8c564b",
        "#e377c2", "#17becf", "#7f7f7f", "#bcbd22"};
    private static final int LEFT = 64;
    private static final int RIGHT = 16;
    private static final int TOP = 44;
    private static final int BOTTOM = 40;

    private final String title;
    private final String xLabel;
    private final String yLabel;
    private final boolean logY;
    private final List<Series> series = new ArrayList<>();
    private final List<Band> bands = new ArrayList<>();
    private final List<Tick> xTicks = new ArrayList<>();

    private record Series(String name, double[] x, double[] y) {
    }

    private record Band(double from, double to, String label) {
    }

    private record Tick(double x, String label) {
    }

    SvgChart(String title, String xLabel, String yLabel, boolean logY) {
        this.title = title;
        this.xLabel = xLabel;
        this.yLabel = yLabel;
        this.logY = logY;
    }

    SvgChart series(String name, double[] x, double[] y) {
        series.add(new Series(name, x, y));
        return this;
    }

    SvgChart band(double from, double to, String label) {
        bands.add(new Band(from, to, label));
        return this;
    }

    SvgChart xTick(double x, String label) {
        xTicks.add(new Tick(x, label));
        return this;
    }

    boolean isEmpty() {
        return series.stream().allMatch(s -> s.x().length == 0);
    }

    String render(int width, int height) {
        double xMin = Double.MAX_VALUE;
        double xMax = -Double.MAX_VALUE;
        double yMin = Double.MAX_VALUE;
        double yMax = -Double.MAX_VALUE;
        for (Series s : series) {
            for (int i = 0; i < s.x().length; i++) {
                if (!usable(s.y()[i])) {
                    continue;
                }
                xMin = Math.min(xMin, s.x()[i]);
                xMax = Math.max(xMax, s.x()[i]);
                yMin = Math.min(yMin, s.y()[i]);
                yMax = Math.max(yMax, s.y()[i]);
            }
        }
        for (Tick t : xTicks) {
            xMin = Math.min(xMin, t.x());
            xMax = Math.max(xMax, t.x());
        }
        StringBuilder svg = new StringBuilder(8192);
        svg.append(String.format(Locale.ROOT,
                "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" "
                        + "font-family=\"sans-serif\" font-size=\"11\">", width, height, width, height));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"16\" font-size=\"13\" font-weight=\"bold\">%s</text>",
                LEFT, HtmlReport.esc(title)));
        if (xMin == Double.MAX_VALUE) {
            svg.append("<text x=\"").append(LEFT).append("\" y=\"60\">no data</text></svg>");
            return svg.toString();
        }
        if (xMax <= xMin) {
            xMax = xMin + 1;
        }
        double lo;
        double hi;
        if (logY) {
            lo = Math.pow(10, Math.floor(Math.log10(yMin)));
            hi = Math.pow(10, Math.ceil(Math.log10(yMax)));
            if (hi <= lo) {
                hi = lo * 10;
            }
        } else {
            lo = Math.min(0, yMin);
            hi = niceCeil(yMax <= lo ? lo + 1 : yMax);
        }
        int plotW = width - LEFT - RIGHT;
        int plotH = height - TOP - BOTTOM;
        Axis ax = new Axis(xMin, xMax, lo, hi, plotW, plotH, logY);

        for (int i = 0; i < bands.size(); i++) {
            Band b = bands.get(i);
            double x0 = ax.x(Math.max(b.from(), xMin));
            double x1 = ax.x(Math.min(b.to(), xMax));
            if (x1 <= x0) {
                continue;
            }
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\"/>", x0, TOP, x1 - x0, plotH,
                    i % 2 == 0 ? "#f2f2f2" : "#e8eef7"));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" fill=\"#666\" font-size=\"9\">%s</text>",
                    x0 + 2, TOP + 10, HtmlReport.esc(b.label())));
        }
        // y grid and labels
        for (double v : yTicks(lo, hi)) {
            double y = ax.y(v);
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#ddd\"/>", LEFT, y, LEFT + plotW, y));
            svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>",
                    LEFT - 4, y + 4, label(v)));
        }
        // x ticks
        List<Tick> ticks = xTicks.isEmpty() ? autoTicks(xMin, xMax) : xTicks;
        for (Tick t : ticks) {
            double x = ax.x(t.x());
            svg.append(String.format(Locale.ROOT,
                    "<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\" stroke=\"#999\"/>", x, TOP + plotH, x,
                    TOP + plotH + 4));
            svg.append(String.format(Locale.ROOT, "<text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                    x, TOP + plotH + 16, HtmlReport.esc(t.label())));
        }
        svg.append(String.format(Locale.ROOT,
                "<rect x=\"%d\" y=\"%d\" width=\"%d\" height=\"%d\" fill=\"none\" stroke=\"#999\"/>", LEFT, TOP, plotW,
                plotH));
        svg.append(String.format(Locale.ROOT, "<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">%s</text>",
                LEFT + plotW / 2, height - 6, HtmlReport.esc(xLabel)));
        svg.append(String.format(Locale.ROOT,
                "<text transform=\"translate(12,%d) rotate(-90)\" text-anchor=\"middle\">%s</text>",
                TOP + plotH / 2, HtmlReport.esc(yLabel)));
        // series and legend
        int legendX = LEFT;
        for (int i = 0; i < series.size(); i++) {
            Series s = series.get(i);
            String color = COLORS[i % COLORS.length];
            svg.append(polylines(s, ax, color));
            svg.append(String.format(Locale.ROOT,
                    "<rect x=\"%d\" y=\"26\" width=\"10\" height=\"10\" fill=\"%s\"/>"
                            + "<text x=\"%d\" y=\"35\">%s</text>", legendX, color, legendX + 13,
                    HtmlReport.esc(s.name())));
            legendX += 24 + 7 * s.name().length();
        }
        svg.append("</svg>");
        return svg.toString();
    }

    private String polylines(Series s, Axis ax, String color) {
        StringBuilder out = new StringBuilder();
        StringBuilder points = new StringBuilder();
        for (int i = 0; i < s.x().length; i++) {
            if (!usable(s.y()[i])) {
                flush(out, points, color);
                continue;
            }
            points.append(String.format(Locale.ROOT, "%.1f,%.1f ", ax.x(s.x()[i]), ax.y(s.y()[i])));
        }
        flush(out, points, color);
        return out.toString();
    }

    private static void flush(StringBuilder out, StringBuilder points, String color) {
        if (points.length() == 0) {
            return;
        }
        out.append("<polyline fill=\"none\" stroke=\"").append(color).append("\" stroke-width=\"1.5\" points=\"")
                .append(points.toString().trim()).append("\"/>");
        points.setLength(0);
    }

    private boolean usable(double v) {
        return !Double.isNaN(v) && !Double.isInfinite(v) && (!logY || v > 0);
    }

    private List<Double> yTicks(double lo, double hi) {
        List<Double> ticks = new ArrayList<>();
        if (logY) {
            for (double v = lo; v <= hi * 1.0001; v *= 10) {
                ticks.add(v);
            }
            return ticks;
        }
        double step = niceStep((hi - lo) / 5);
        for (double v = Math.ceil(lo / step) * step; v <= hi + step * 1e-6; v += step) {
            ticks.add(v);
        }
        return ticks;
    }

    private static List<Tick> autoTicks(double lo, double hi) {
        double step = niceStep((hi - lo) / 8);
        List<Tick> ticks = new ArrayList<>();
        for (double v = Math.ceil(lo / step) * step; v <= hi + step * 1e-6; v += step) {
            ticks.add(new Tick(v, label(v)));
        }
        return ticks;
    }

    private static double niceStep(double rough) {
        if (rough <= 0) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(rough)));
        double f = rough / p;
        return (f <= 1 ? 1 : f <= 2 ? 2 : f <= 5 ? 5 : 10) * p;
    }

    private static double niceCeil(double v) {
        double step = niceStep(v / 5);
        return Math.ceil(v / step) * step;
    }

    static String label(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (a >= 1e4) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        if (v == Math.rint(v)) {
            return Long.toString((long) v);
        }
        return String.format(Locale.ROOT, Math.abs(v) < 1 ? "%.3f" : "%.1f", v).replaceAll("0+$", "").replaceAll("\\.$", "");
    }

    /** Data to pixel coordinates. */
    private record Axis(double xMin, double xMax, double yLo, double yHi, int w, int h, boolean log) {
        double x(double v) {
            return LEFT + (v - xMin) / (xMax - xMin) * w;
        }

        double y(double v) {
            double f = log ? (Math.log10(v) - Math.log10(yLo)) / (Math.log10(yHi) - Math.log10(yLo))
                    : (v - yLo) / (yHi - yLo);
            return TOP + h - f * h;
        }
    }
}
