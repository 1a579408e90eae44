"""The images of a listing: public pictures of the technology, added and removed by its owner.

Images are public media shown on the listing's page, so unlike documents they are not private
files; their type is still checked by content, never by name or browser claim.
"""

import uuid

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils.translation import gettext as _

from portal.accounts.models import User
from portal.core.audit import audit_log
from portal.core.exceptions import PortalError
from portal.files.kinds import IMAGES
from portal.files.services import check_upload

from . import permissions
from .models import Listing, ListingImage, ListingStatus

IMAGE_MAX_BYTES = 5 * 1024 * 1024
MAX_IMAGES = 10
# A closed or expired listing is no longer on the exchange: nothing is added to it.
FROZEN = frozenset({ListingStatus.CLOSED, ListingStatus.EXPIRED})


@transaction.atomic
def listing_image_add(
    *, user: User, listing: Listing, upload: UploadedFile, caption: str = ""
) -> ListingImage:
    listing = Listing.objects.select_for_update().get(pk=listing.pk)
    if not permissions.is_owner(user, listing) or listing.status in FROZEN:
        raise PortalError(
            _("Only the owner of an active listing can add images."),
            code="forbidden",
            status_code=403,
        )
    if listing.images.count() >= MAX_IMAGES:
        raise PortalError(
            _("A listing can have at most %(count)s images; remove one first.")
            % {"count": MAX_IMAGES},
            code="too_many_images",
        )
    kind = check_upload(upload, IMAGES, IMAGE_MAX_BYTES)
    image = ListingImage(listing=listing, caption=caption.strip()[:200])
    # The stored name is ours: the uploaded name says nothing reliable about the content.
    image.image.save(f"{uuid.uuid4().hex}.{kind.extension}", upload, save=False)
    try:
        image.save()
    except Exception:
        image.image.delete(save=False)
        raise
    audit_log(listing, "tech_exchange.image_added", user=user, data={"image": image.pk})
    return image


@transaction.atomic
def listing_image_remove(*, user: User, image: ListingImage) -> None:
    if not permissions.is_owner(user, image.listing):
        raise PortalError(
            _("Only the listing's owner can remove its images."),
            code="forbidden",
            status_code=403,
        )
    stored, name = image.image.storage, image.image.name
    audit_log(image.listing, "tech_exchange.image_removed", user=user, data={"image": image.pk})
    image.delete()
    # The file goes only once the row is surely gone.
    transaction.on_commit(lambda: stored.delete(name))
