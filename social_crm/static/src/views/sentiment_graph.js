/** @odoo-module */

import { getCustomColor, lightenColor, darkenColor } from "@web/core/colors/colors";
import { cookie } from "@web/core/browser/cookie";
import { registry } from "@web/core/registry";
import { graphView } from "@web/views/graph/graph_view";
import { GraphRenderer } from "@web/views/graph/graph_renderer";

/*
 * A graph whose sentiment series take the colours of the sentiment badges
 * (green positive, grey neutral, red negative) instead of the palette's
 * colour for their rank. Used by the mention and analysis graphs.
 */

/** The colour of a badge of these classes, as the page's styles draw it. */
export function badgeColor(classes) {
    const probe = document.createElement("span");
    probe.className = classes;
    probe.style.display = "none";
    document.body.appendChild(probe);
    const color = getComputedStyle(probe).backgroundColor;
    probe.remove();
    return toHex(color);
}

/** "rgb(40, 167, 69)" as "#28a745" (the palette helpers take hex colours). */
export function toHex(color) {
    const channels = color.match(/\d+(\.\d+)?/g);
    if (!channels || channels.length < 3 || channels[3] === "0") {
        return color;
    }
    return (
        "#" +
        channels
            .slice(0, 3)
            .map((value) => Math.round(Number(value)).toString(16).padStart(2, "0"))
            .join("")
    );
}

/**
 * The sentiment badges' colours: the badge widget's decoration-success and
 * decoration-danger, and its plain badge for neutral.
 */
export function sentimentColors() {
    const neutral = badgeColor("badge rounded-pill");
    return {
        positive: badgeColor("badge rounded-pill text-bg-success"),
        neutral: neutral.startsWith("#") ? neutral : badgeColor("badge text-bg-300"),
        negative: badgeColor("badge rounded-pill text-bg-danger"),
    };
}

/** The sentiment a dataset stands for, from its groups' raw values. */
export function sentimentOf(dataset) {
    for (const identifier of dataset.identifiers || []) {
        for (const part of JSON.parse(identifier)) {
            if (part && "sentiment" in part) {
                return part.sentiment;
            }
        }
    }
    return undefined;
}

export class SentimentGraphRenderer extends GraphRenderer {
    getChartConfig() {
        const config = super.getChartConfig();
        if (config.type === "pie") {
            return config;
        }
        const colors = sentimentColors();
        const scheme = cookie.get("color_scheme");
        for (const dataset of config.data.datasets) {
            const color = colors[sentimentOf(dataset)];
            if (!color) {
                continue;
            }
            if (config.type === "line") {
                dataset.borderColor = color;
                dataset.pointBackgroundColor = color;
                dataset.hoverBackgroundColor = color;
                dataset.backgroundColor = getCustomColor(
                    scheme,
                    lightenColor(color, 0.5),
                    darkenColor(color, 0.5)
                );
            } else {
                dataset.backgroundColor = color;
            }
        }
        return config;
    }
}

registry.category("views").add("social_sentiment_graph", {
    ...graphView,
    Renderer: SentimentGraphRenderer,
});
