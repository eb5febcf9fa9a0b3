/** @odoo-module */

import { registry } from "@web/core/registry";

/*
 * An agent answers a complaint already converted: the mention form opened on
 * it (the test gives its URL) still offers Mark as Replied.
 */
registry.category("web_tour.tours").add("social_crm_reply_converted_tour", {
    steps: () => [
        {
            content: "The converted mention",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Converted')",
        },
        {
            content: "Mark it replied",
            trigger: ".o_form_view button[name='action_set_replied']",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('Replied')",
        },
    ],
});
