/** @odoo-module */

import { registry } from "@web/core/registry";

/*
 * A manager fetches a source at once, from the list of sources and from the
 * source's form, and is told each time what came.
 */
registry.category("web_tour.tours").add("social_crm_fetch_now_tour", {
    steps: () => [
        {
            content: "Fetch the source from the list",
            trigger:
                ".o_list_view .o_data_row:contains('Fetch now source') button[name='action_fetch_now']",
            run: "click",
        },
        {
            content: "A notification says how many mentions came",
            trigger: ".o_notification:contains('new mentions')",
        },
        {
            trigger: ".o_notification_close",
            run: "click",
        },
        {
            content: "Open the source",
            trigger:
                ".o_list_view .o_data_row td[name='name']:contains('Fetch now source')",
            run: "click",
        },
        {
            content: "Fetch the source now",
            trigger: ".o_form_view .o_form_statusbar button[name='action_fetch_now']",
            run: "click",
        },
        {
            content: "A notification says how many mentions came",
            trigger: ".o_notification:contains('new mentions')",
        },
    ],
});
