"""Who may post updates on which action point: the secretariat on all, an organisation's editors on the points
their organisation owns (a point without an owner is the secretariat's to follow)."""

from network.permissions import OrganisationScopedPolicy


class ActionPointUpdatePolicy(OrganisationScopedPolicy):
    """The network's organisation-scoped permissions, for records that belong to the owner of their action point.

    Model permissions still come from groups (the "Member editors" group needs add and change on action point
    updates); every existing update is then limited to the user's own organisations' points, in the listing and
    in the edit, delete, history and usage views."""

    def __init__(self, model):
        super().__init__(model, "action_point__owner")

    def _organisation_of(self, instance):
        point = instance.action_point if instance.action_point_id else None
        return point.owner if point is not None else None
