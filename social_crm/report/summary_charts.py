"""Bar charts of the PDF summary, as inline SVG (plain Python, no Odoo).

wkhtmltopdf runs no chart library worth trusting in a PDF, but it draws
inline SVG: the charts are built here from the figures the report already
has, and placed in the QWeb template as markup. Labels are escaped; sizes
are in px of the printed page.
"""

from xml.sax.saxutils import escape

#: The badges' colours (Bootstrap's success, secondary, danger), so that the
#: PDF reads like the screens.
SENTIMENT_COLOURS = {"positive": "#28a745", "neutral": "#adb5bd", "negative": "#dc3545"}
BAR_COLOUR = "#71639e"
TEXT_COLOUR = "#212529"
FONT = "DejaVu Sans, sans-serif"


def _text(x, y, text, anchor="start", size=10, colour=TEXT_COLOUR):
    return (
        f'<text x="{x:.1f}" y="{y:.1f}" font-size="{size}" font-family="{FONT}"'
        f' fill="{colour}" text-anchor="{anchor}">{escape(str(text))}</text>'
    )


def stacked_columns(columns, series, colours, width=640, height=180):
    """Vertical stacked columns, one per ``(label, {series: value})``.

    ``series`` gives the stacking order (bottom first), ``colours`` their
    colours; a legend is drawn under the chart. Returns the SVG as a string.
    """
    top, bottom, left = 10, 34, 36
    plot_h = height - top - bottom
    most = max(
        (sum(values.get(s, 0) for s in series) for _l, values in columns), default=0
    )
    most = most or 1
    step = (width - left) / max(len(columns), 1)
    bar_w = max(4.0, step * 0.6)
    full_h = height + 18
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{full_h}"'
        f' viewBox="0 0 {width} {full_h}">',
        f'<line x1="{left}" y1="{top + plot_h}" x2="{width}" y2="{top + plot_h}"'
        ' stroke="#ced4da" />',
        _text(left - 4, top + 8, most, anchor="end", size=9),
        _text(left - 4, top + plot_h, 0, anchor="end", size=9),
    ]
    for index, (label, values) in enumerate(columns):
        x = left + index * step + (step - bar_w) / 2
        y = top + plot_h
        for name in series:
            value = values.get(name, 0)
            if not value:
                continue
            bar_h = plot_h * value / most
            y -= bar_h
            parts.append(
                f'<rect class="o_bar o_bar_{escape(name)}" x="{x:.1f}" y="{y:.1f}"'
                f' width="{bar_w:.1f}" height="{bar_h:.1f}" fill="{colours[name]}" />'
            )
        parts.append(_text(x + bar_w / 2, top + plot_h + 14, label, "middle", 9))
    legend_x = left
    for name, label in series.items():
        parts.append(
            f'<rect x="{legend_x}" y="{height + 4}" width="10" height="10"'
            f' fill="{colours[name]}" />'
        )
        parts.append(_text(legend_x + 14, height + 13, label, size=9))
        legend_x += 24 + 7 * len(str(label))
    parts.append("</svg>")
    return "".join(parts)


def horizontal_bars(items, width=640, bar_h=14, colour=BAR_COLOUR):
    """One horizontal bar per ``(label, value, shown)``; ``shown`` is the
    value as printed (a formatted number, a share). Returns the SVG."""
    label_w = 150
    gap = 6
    height = max(len(items), 1) * (bar_h + gap)
    most = max((value for _l, value, _s in items), default=0) or 1
    plot_w = width - label_w - 70
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}"'
        f' viewBox="0 0 {width} {height}">'
    ]
    for index, (label, value, shown) in enumerate(items):
        y = index * (bar_h + gap)
        bar_w = plot_w * value / most
        parts.append(_text(label_w - 6, y + bar_h - 3, label, "end", 10))
        parts.append(
            f'<rect class="o_bar" x="{label_w}" y="{y}" width="{bar_w:.1f}"'
            f' height="{bar_h}" fill="{colour}" />'
        )
        parts.append(_text(label_w + bar_w + 4, y + bar_h - 3, shown, size=10))
    parts.append("</svg>")
    return "".join(parts)
