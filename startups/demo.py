"""Several hundred fictitious but plausible Hanoi startups in every state, made through the
services as founders and staff would make them. Safe to run again: existing codes are skipped."""

import csv
import io
import random
from datetime import date, timedelta

from django.conf import settings
from django.utils.text import slugify

from portal.accounts.demo import demo_user
from portal.accounts.models import User
from portal.accounts.services import user_create
from portal.core.models import Commune
from portal.core.text import fold

from . import services
from .imports import import_startups
from .models import LegalForm, RevenueSource, Sector, Stage, Startup, Status

BRANDS = (
    "Mây Xanh",
    "Sao Việt",
    "Lúa Vàng",
    "Sông Hồng",
    "Hồ Gươm",
    "Tre Việt",
    "Bách Khoa",
    "Thăng Long",
    "Hoa Sen",
    "Ánh Dương",
    "Đông Đô",
    "Kinh Bắc",
    "Trúc Lâm",
    "Phượng Hoàng",
    "Cánh Diều",
    "Hải Đăng",
    "Bình Minh",
    "Nhật Tân",
    "Tây Hồ",
    "Long Biên",
    "Ngọc Lan",
    "Bảo Châu",
    "Đại Việt",
    "Vạn Xuân",
    "Hồng Hà",
    "An Khang",
    "Phú Thịnh",
    "Minh Long",
    "Tâm Việt",
    "Quang Trung",
)
SECTOR_WORDS = {
    Sector.AI: ("Trí tuệ nhân tạo", "AI", "nhận dạng giọng nói tiếng Việt cho doanh nghiệp"),
    Sector.FINTECH: ("Tài chính số", "Fintech", "thanh toán và tín dụng vi mô cho hộ kinh doanh"),
    Sector.AGRITECH: (
        "Nông nghiệp thông minh",
        "Agritech",
        "cảm biến và truy xuất nguồn gốc cho nông sản ngoại thành",
    ),
    Sector.EDTECH: ("Giáo dục số", "Edtech", "học tiếng Anh và STEM trực tuyến cho học sinh"),
    Sector.HEALTHTECH: ("Y tế số", "Healthtech", "đặt lịch khám và hồ sơ sức khoẻ điện tử"),
    Sector.CLEANTECH: ("Năng lượng sạch", "Cleantech", "điện mặt trời mái nhà và lưu trữ"),
    Sector.MOBILITY: ("Giao thông thông minh", "Mobility", "xe điện chia sẻ và tối ưu lộ trình"),
    Sector.ECOMMERCE: ("Thương mại điện tử", "Commerce", "bán hàng đa kênh cho làng nghề"),
    Sector.DEEPTECH: ("Bán dẫn", "Semiconductor", "thiết kế vi mạch và cảm biến"),
    Sector.BIOTECH: ("Công nghệ sinh học", "Biotech", "chế phẩm vi sinh và dược liệu"),
    Sector.SMART_CITY: ("Đô thị thông minh", "Smart City", "quản lý chiếu sáng và rác thải đô thị"),
    Sector.MEDIA: ("Sáng tạo nội dung", "Creative", "hoạt hình, trò chơi và âm nhạc số"),
    Sector.OTHER: ("Dịch vụ đổi mới", "Innovation", "giải pháp chuyển đổi số cho doanh nghiệp"),
}
PREFIX = {
    LegalForm.LLC: ("Công ty TNHH", "Co., Ltd"),
    LegalForm.JSC: ("Công ty Cổ phần", "JSC"),
}
# The demo registry's make-up out of every 330 startups: founder-made ones in each state, then
# the department's imported (verified) records. DEMO_STARTUPS scales it (tests seed fewer).
REGISTERED_SHARES = (
    (Status.VERIFIED, 120),
    (Status.SUBMITTED, 25),
    (Status.CHANGES_REQUESTED, 12),
    (Status.REJECTED, 8),
    (Status.DRAFT, 15),
)
IMPORTED_SHARE = 150
STALE_SHARE = 14
# The demo founder account holds one startup in each state a founder meets.
FOUNDER_STATES = (Status.VERIFIED, Status.SUBMITTED, Status.CHANGES_REQUESTED, Status.DRAFT)
CODE_BASE = 109_000_000  # demo enterprise codes 0109000001…


def _profile(rng: random.Random, n: int, communes: list[Commune]) -> tuple[dict, list[str]]:
    sector = rng.choice(list(SECTOR_WORDS))
    extra = rng.sample([s for s in Sector if s != sector], k=rng.choice((0, 0, 1, 2)))
    words, english, activity = SECTOR_WORDS[sector]
    form = rng.choice((LegalForm.LLC, LegalForm.LLC, LegalForm.JSC))
    brand = BRANDS[n % len(BRANDS)]
    name = f"{PREFIX[form][0]} {words} {brand}"
    founded = date(2015, 1, 1) + timedelta(days=rng.randrange(0, 3800))
    stage = rng.choice(list(Stage))
    revenue = None
    if stage not in (Stage.IDEA, Stage.PRE_SEED):
        revenue = rng.choice((2, 8, 25, 60, 140, 320)) * 1_000_000_000
    fields = {
        "name": name,
        "english_name": f"{brand} {english} {PREFIX[form][1]}",
        "enterprise_code": f"{CODE_BASE + n:010d}",
        "legal_form": form,
        "founded_on": founded,
        "commune": rng.choice(communes),
        "address": f"Số {rng.randrange(1, 300)} phố {rng.choice(BRANDS)}",
        "stage": stage,
        "team_size": rng.choice((3, 5, 8, 12, 20, 35, 60, 120)),
        "website": f"https://{slugify(fold(brand))}-{n}.example.vn",
        "pitch": f"{words}: {activity}.",
        "description": (
            f"{name} phát triển {activity} cho thị trường Hà Nội và cả nước. "
            f"Thành lập năm {founded.year}, đội ngũ đến từ các trường đại học tại Hà Nội."
        ),
        "products": f"Nền tảng {english} {brand}; ứng dụng di động; dịch vụ tư vấn triển khai.",
        "funding_raised_vnd": rng.choice((0, 500, 2_000, 12_000, 45_000)) * 1_000_000,
        "revenue_vnd": revenue,
        "revenue_year": 2025 if revenue else None,
        "revenue_source": rng.choice(list(RevenueSource)) if revenue else "",
        "contact_name": rng.choice(
            ("Nguyễn Văn An", "Trần Thị Bình", "Lê Minh Châu", "Phạm Đức Dũng")
        ),
        "contact_email": f"lienhe{n}@demo.example.vn",
        "contact_phone": f"09{rng.randrange(10_000_000, 99_999_999)}",
    }
    return fields, [sector, *extra]


def _walk_to(state: str, startup: Startup, owner: User, staff: User, rng: random.Random):
    if state == Status.DRAFT:
        return startup
    startup = services.startup_submit(user=owner, startup=startup)
    if state == Status.SUBMITTED:
        return startup
    if state == Status.VERIFIED:
        return services.startup_verify(user=staff, startup=startup)
    if state == Status.CHANGES_REQUESTED:
        return services.startup_request_changes(
            user=staff,
            startup=startup,
            reason_codes=["missing_documents", "unverifiable_revenue"][: rng.randint(1, 2)],
            note="Vui lòng bổ sung giấy chứng nhận đăng ký doanh nghiệp và báo cáo tài chính.",
        )
    return services.startup_reject(
        user=staff,
        startup=startup,
        reason_codes=["not_in_hanoi"],
        note="Trụ sở chính đăng ký ngoài địa bàn Hà Nội.",
    )


IMPORT_COLUMNS = (
    "name",
    "enterprise_code",
    "english_name",
    "legal_form",
    "founded_on",
    "commune",
    "address",
    "sectors",
    "stage",
    "team_size",
    "website",
    "pitch",
    "funding_raised_vnd",
    "revenue_vnd",
    "revenue_year",
    "revenue_source",
    "contact_email",
    "contact_phone",
)


def _import_file(profiles: list[tuple[dict, list[str]]], existing: set[str]) -> bytes:
    """The department's spreadsheet of startups it already knows, as the import reads it."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(IMPORT_COLUMNS)
    for fields, sectors in profiles:
        if fields["enterprise_code"] in existing:
            continue
        values = {**fields, "sectors": ";".join(sectors), "commune": fields["commune"].full_name}
        writer.writerow(["" if values[c] is None else values[c] for c in IMPORT_COLUMNS])
    return out.getvalue().encode("utf-8")


def _founder(n: int) -> User:
    email = f"founder{n}@demo.example.vn"
    return User.objects.filter(email=email).first() or user_create(
        email=email, password=None, email_verified=True
    )


def _scaled(share: int) -> int:
    total = sum(n for _, n in REGISTERED_SHARES) + IMPORTED_SHARE
    return max(1, round(share * settings.DEMO_STARTUPS / total))


def seed_demo_startups(write) -> None:
    rng = random.Random(2026)  # noqa: S311 -- repeatable demo data, not secrets
    states = [state for state, share in REGISTERED_SHARES for _ in range(_scaled(share))]
    communes = list(Commune.objects.order_by("pk"))
    staff = demo_user("staff@example.org")
    founder = demo_user("founder@example.org")
    existing = set(
        Startup.objects.filter(enterprise_code__startswith="0109").values_list(
            "enterprise_code", flat=True
        )
    )
    created = 0
    founder_states = set(FOUNDER_STATES)
    for n, state in enumerate(states, start=1):
        fields, sectors = _profile(rng, n, communes)
        if fields["enterprise_code"] in existing:
            continue
        owner = founder if state in founder_states else _founder(n)
        founder_states.discard(state)
        startup = services.startup_create(user=owner, fields=fields, sectors=sectors)
        _walk_to(state, startup, owner, staff, rng)
        created += 1
    first = len(states) + 1
    imported = [_profile(rng, n, communes) for n in range(first, first + _scaled(IMPORTED_SHARE))]
    report = import_startups(
        data=_import_file(imported, existing), user=staff, commit=True, file_name="demo.csv"
    )
    created += report.created
    if created:
        # Some verified startups let their yearly re-confirmation lapse.
        stale = _scaled(STALE_SHARE)
        lapsed = Startup.objects.filter(status=Status.VERIFIED).order_by("pk")[1 : stale * 10 : 10]
        Startup.objects.filter(pk__in=[s.pk for s in lapsed]).update(
            confirmation_due_on=date.today() - timedelta(days=3)
        )
        services.reconfirmation_sweep()
    write(
        f"Startups: {created} created, {Startup.objects.count()} in the registry "
        f"({Startup.objects.filter(status=Status.VERIFIED).count()} verified)"
    )
