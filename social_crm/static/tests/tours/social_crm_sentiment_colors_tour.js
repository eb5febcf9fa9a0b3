/** @odoo-module */

import { registry } from "@web/core/registry";

/*
 * A manager opens the mention analysis graph: each sentiment series has the
 * colour of its badge (green positive, grey neutral, red negative), not the
 * palette's colour for its rank. The test gives the graph's URL.
 */
function badgeColor(classes) {
    const probe = document.createElement("span");
    probe.className = classes;
    document.body.appendChild(probe);
    const color = getComputedStyle(probe).backgroundColor;
    probe.remove();
    const channels = color.match(/\d+/g);
    if (!channels || channels[3] === "0") {
        return "";
    }
    return (
        "#" +
        channels
            .slice(0, 3)
            .map((v) => Number(v).toString(16).padStart(2, "0"))
            .join("")
    );
}

function checkColors() {
    const canvas = document.querySelector(".o_graph_renderer canvas");
    const chart = window.Chart.getChart(canvas);
    // What the sentiment badges show (decoration-success, plain, -danger).
    const expected = {
        positive: badgeColor("badge rounded-pill text-bg-success"),
        neutral: badgeColor("badge rounded-pill"),
        negative: badgeColor("badge rounded-pill text-bg-danger"),
    };
    if (!expected.neutral) {
        expected.neutral = badgeColor("badge text-bg-300");
    }
    const seen = {};
    for (const dataset of chart.data.datasets) {
        for (const identifier of dataset.identifiers || []) {
            for (const part of JSON.parse(identifier)) {
                if (part && "sentiment" in part) {
                    seen[part.sentiment] =
                        chart.config.type === "line"
                            ? dataset.borderColor
                            : dataset.backgroundColor;
                }
            }
        }
    }
    for (const sentiment of ["positive", "neutral", "negative"]) {
        if (!expected[sentiment] || seen[sentiment] !== expected[sentiment]) {
            throw new Error(
                `${sentiment} is drawn in ${seen[sentiment]}, its badge is ${expected[sentiment]}`
            );
        }
    }
}

registry.category("web_tour.tours").add("social_crm_sentiment_colors_tour", {
    steps: () => [
        {
            content: "The analysis graph is drawn",
            trigger: ".o_graph_renderer canvas",
        },
        {
            content: "Each sentiment in its badge's colour",
            trigger: ".o_graph_renderer canvas",
            run: checkColors,
        },
    ],
});
