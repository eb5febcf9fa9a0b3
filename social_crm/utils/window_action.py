"""Opening the module's list actions on a subset of their records."""


def filtered_window_action(env, xml_id, domain, context=None):
    """The window action ``xml_id`` showing only ``domain``.

    The action's own context (its default filters) is replaced, so that the
    records asked for all show.
    """
    action = env["ir.actions.act_window"]._for_xml_id(xml_id)
    action["domain"] = domain
    action["context"] = context or {}
    return action


def form_action(record, target="current", name=None):
    """The window action opening ``record`` in its form (``target="new"``: a
    dialog, as wizards reopen themselves)."""
    action = {
        "type": "ir.actions.act_window",
        "res_model": record._name,
        "res_id": record.id,
        "view_mode": "form",
        "views": [(False, "form")],
        "target": target,
    }
    if name:
        action["name"] = name
    return action
