/** @odoo-module */

import { registry } from "@web/core/registry";
import { stepUtils } from "@web_tour/tour_service/tour_utils";

/*
 * A salesperson turns a product question into a lead from the kanban and
 * finds the mention, with its author's influence, on the lead, then finds the
 * opportunity in the CRM pipeline (CRM's Leads setting off, Odoo's default).
 */
registry.category("web_tour.tours").add("social_crm_sales_lead_tour", {
    url: "/odoo",
    steps: () => [
        ...stepUtils.goToAppSteps("social_crm.social_crm_menu_root", "Open Social CRM"),
        {
            content: "Switch to the kanban",
            trigger: ".o_switch_view.o_kanban",
            run: "click",
        },
        {
            content: "Convert the question from its card",
            trigger:
                ".o_kanban_record:contains('bulk pricing for 50 Router X2') button:contains('Convert')",
            run: "click",
        },
        {
            trigger:
                ".modal .o_field_widget[name='action'] input[data-value='create_lead']:checked",
        },
        {
            trigger: ".modal footer button[name='action_convert']",
            run: "click",
        },
        {
            content: "The lead opens; its Social tab shows the mention",
            trigger: ".o_form_view .o_notebook_headers a:contains('Social')",
            run: "click",
        },
        {
            trigger:
                ".o_field_widget[name='social_mention_ids'] .o_data_row:contains('bulk pricing')",
        },
        {
            content: "with the author's identity and influence",
            trigger:
                ".o_field_widget[name='social_identity_ids'] .o_data_row:contains('buyer_bob')",
        },
        {
            trigger: ".o_form_view button[name='action_view_social_mentions']",
        },
        ...stepUtils.goToAppSteps("crm.crm_menu_root", "Open CRM"),
        {
            content: "The pipeline shows the opportunity",
            trigger: ".o_kanban_view .o_kanban_record:contains('Buyer Bob')",
        },
    ],
});
