/** @odoo-module */

import { registry } from "@web/core/registry";

/*
 * An agent reopens a mention converted by mistake: after a confirmation it
 * is New again, and its chatter keeps the link to the lead it had made.
 */
registry.category("web_tour.tours").add("social_crm_reopen_tour", {
    steps: () => [
        {
            content: "The converted mention can be reopened",
            trigger: ".o_form_view .o_statusbar_buttons button[name='action_reset']",
            run: "click",
        },
        {
            content: "after saying what it does",
            trigger:
                ".modal:contains('unlinked from its lead or ticket') footer .btn-primary",
            run: "click",
        },
        {
            content: "It is New again",
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('New')",
        },
        {
            content: "and the chatter keeps the lead's link",
            trigger:
                ".o-mail-Chatter .o-mail-Message:contains('Reopened') a:contains('Reopen tour lead')",
        },
    ],
});
