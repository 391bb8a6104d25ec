"""Pieces shared by the apps' own admin views (comms and monitoring): breadcrumbs and permission-aware menu items."""

from django.urls import reverse
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin


def titled_view(view_class: type[WagtailAdminTemplateMixin], **initkwargs):
    """The view with its page title as the last breadcrumb: Wagtail's slim header shows the breadcrumbs as the
    page heading, so with only the default "Home" crumb the page would be headed "Home"."""
    crumbs = [*WagtailAdminTemplateMixin.breadcrumbs_items, {"url": "", "label": view_class.page_title}]
    return view_class.as_view(breadcrumbs_items=crumbs, **initkwargs)


class PermittedMenuItem(MenuItem):
    """A link shown only to users with every permission its view requires."""

    def __init__(self, *args, permissions: tuple[str, ...], **kwargs):
        super().__init__(*args, **kwargs)
        self.permissions = permissions

    def is_shown(self, request):
        return request.user.has_perms(self.permissions)


def menu_item_for(view_class, url_name: str, *, icon_name: str, order: int) -> PermittedMenuItem:
    """A submenu link to an admin view, titled like its page and shown to users the view would let in."""
    return PermittedMenuItem(
        view_class.page_title,
        reverse(url_name),
        icon_name=icon_name,
        order=order,
        permissions=view_class.permission_required,
    )
