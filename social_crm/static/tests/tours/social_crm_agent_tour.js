/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/*
 * A support agent walks from the inbox to a negative mention, to its author's
 * identity, to the contact behind it, and sees the mention there.
 * The test creates "Tour Customer" linked to the identity "@tour_angry".
 */
registry.category("web_tour.tours").add("social_crm_agent_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("social_crm.social_crm_menu_root", "Open Social CRM"),
        {
            content: "The inbox lists the new mentions",
            trigger: ".o_list_view .o_data_row",
        },
        {
            content: "Ages read like the posts, not red like overdue deadlines",
            trigger: ".o_list_view .o_data_row td[name='posted_at']",
            run() {
                const coloured = document.querySelector(
                    ".o_list_view td[name='posted_at'] .text-danger, " +
                        ".o_list_view td[name='posted_at'] .text-warning"
                );
                if (coloured) {
                    throw new Error(
                        `The age "${coloured.innerText}" is coloured as overdue`
                    );
                }
            },
        },
        {
            content: "Filter on negative mentions",
            trigger: ".o_searchview_input",
            run: "click",
        },
        {
            trigger: ".o_filter_menu .o-dropdown-item:contains('Negative')",
            run: "click",
        },
        {
            content: "Open the angry mention",
            trigger: ".o_data_row td[name='content']:contains('router died')",
            run: "click",
        },
        {
            content: "The form shows the post and its author",
            trigger:
                ".o_form_view .o_field_widget[name='content']:contains('router died')",
        },
        {
            trigger:
                ".o_form_view .o_field_widget[name='sentiment'] .badge:contains('Negative')",
        },
        {
            content: "Take the mention",
            trigger: ".o_form_view button[name='action_set_in_progress']",
            run: "click",
        },
        {
            trigger:
                ".o_form_view .o_statusbar_status button.o_arrow_button_current:contains('In Progress')",
        },
        {
            content: "Open the author's identity",
            trigger: ".o_form_view .o_field_widget[name='identity_id'] a",
            run: "click",
        },
        {
            content: "The identity form shows its contact",
            trigger:
                ".o_form_view .o_field_widget[name='handle'] input:value('@tour_angry')",
        },
        {
            trigger: ".o_form_view button[name='action_open_partner']",
            run: "click",
        },
        {
            content: "The contact's Social tab lists the mention",
            trigger: ".o_notebook_headers a:contains('Social')",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name='social_mention_ids'] .o_data_row:contains('router died')",
        },
    ],
});
