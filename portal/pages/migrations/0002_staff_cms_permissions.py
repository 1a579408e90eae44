"""Department staff and administrators edit and publish the CMS: pages, images, documents,
navigation menus and translations."""

from django.db import migrations

CMS_EDITOR_GROUPS = ["Department staff", "Administrator"]
PAGE_PERMISSIONS = ["add_page", "change_page", "publish_page", "lock_page", "unlock_page"]
COLLECTION_PERMISSIONS = {
    "wagtailimages": ("image", ["add_image", "change_image", "choose_image"]),
    "wagtaildocs": ("document", ["add_document", "change_document", "choose_document"]),
}
MODEL_PERMISSIONS = {
    ("pages", "navigationmenu"): ["add_navigationmenu", "change_navigationmenu", "view_navigationmenu"],
    ("simple_translation", "simpletranslation"): ["submit_translation"],
}


def _permission(apps, app_label, model, codename):
    ContentType = apps.get_model("contenttypes", "ContentType")
    Permission = apps.get_model("auth", "Permission")
    content_type, _ = ContentType.objects.get_or_create(app_label=app_label, model=model)
    permission, _ = Permission.objects.get_or_create(
        content_type=content_type, codename=codename, defaults={"name": codename.replace("_", " ")}
    )
    return permission


def grant_cms_permissions(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Page = apps.get_model("wagtailcore", "Page")
    Collection = apps.get_model("wagtailcore", "Collection")
    GroupPagePermission = apps.get_model("wagtailcore", "GroupPagePermission")
    GroupCollectionPermission = apps.get_model("wagtailcore", "GroupCollectionPermission")
    root_page = Page.objects.filter(depth=1).first()
    root_collection = Collection.objects.filter(depth=1).first()
    for group in Group.objects.filter(name__in=CMS_EDITOR_GROUPS):
        for codename in PAGE_PERMISSIONS:
            GroupPagePermission.objects.get_or_create(
                group=group,
                page=root_page,
                permission=_permission(apps, "wagtailcore", "page", codename),
            )
        for app_label, (model, codenames) in COLLECTION_PERMISSIONS.items():
            for codename in codenames:
                GroupCollectionPermission.objects.get_or_create(
                    group=group,
                    collection=root_collection,
                    permission=_permission(apps, app_label, model, codename),
                )
        for (app_label, model), codenames in MODEL_PERMISSIONS.items():
            for codename in codenames:
                group.permissions.add(_permission(apps, app_label, model, codename))


class Migration(migrations.Migration):
    dependencies = [
        ("pages", "0001_initial"),
        ("accounts", "0002_role_groups"),
        ("wagtailcore", "__latest__"),
        ("wagtailimages", "__latest__"),
        ("wagtaildocs", "__latest__"),
        ("simple_translation", "__latest__"),
    ]

    operations = [migrations.RunPython(grant_cms_permissions, migrations.RunPython.noop)]
