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
