/** @odoo-module */

import { registry } from "@web/core/registry";

/*
 * The influence score reads one way: a badge with one decimal and no "%",
 * green for a promoter, with the legend as its tooltip.
 */
registry.category("web_tour.tours").add("social_crm_influence_badge_tour", {
    steps: () => [
        {
            content: "The promoter's score is a green badge, one decimal, no percent",
            trigger:
                ".o_data_row:contains('badge_promoter') .o_social_influence.text-bg-success:contains('72.5'):not(:contains('%'))",
        },
        {
            content: "whose tooltip says what the colours mean",
            trigger:
                ".o_data_row:contains('badge_promoter') .o_social_influence[data-tooltip*='Green: promoter, red: detractor']",
        },
        {
            content: "A detractor's is red",
            trigger:
                ".o_data_row:contains('badge_detractor') .o_social_influence.text-bg-danger:contains('64.0')",
        },
    ],
});
