/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/*
 * A support agent opens a complaint from the inbox and makes a ticket of it:
 * the wizard proposes a ticket, of the source's team; the ticket shows the
 * mention.
 */
registry.category("web_tour.tours").add("social_crm_helpdesk_ticket_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("social_crm.social_crm_menu_root", "Open Social CRM"),
        {
            content: "Open the negative mention",
            trigger: ".o_data_row td[name='content']:contains('charged me twice')",
            run: "click",
        },
        {
            content: "Convert it",
            trigger: ".o_form_view .o_statusbar_buttons button:contains('Convert')",
            run: "click",
        },
        {
            content: "A complaint: the wizard proposes a ticket",
            trigger:
                ".modal .o_field_widget[name='action'] input[data-value='create_ticket']:checked",
        },
        {
            content: "for the source's helpdesk team",
            trigger:
                ".modal .o_field_widget[name='helpdesk_team_id'] input:value('Billing care')",
        },
        {
            trigger: ".modal footer button[name='action_convert']",
            run: "click",
        },
        {
            content: "The ticket opens with the post as its description",
            trigger:
                ".o_form_view .o_field_widget[name='description']:contains('charged me twice')",
        },
        {
            content: "and lists the mention",
            trigger: ".o_notebook_headers a:contains('Social')",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name='social_mention_ids'] .o_data_row:contains('charged me twice')",
        },
    ],
});
