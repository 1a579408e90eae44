"""Exchange demo data, made through the services as providers, buyers and staff would: offers and
requests across sectors and TRLs in every status, enquiries in every state and the deals they
ended in. Safe to run again."""

from datetime import timedelta

from django.test import override_settings
from django.utils import timezone

from portal.accounts.demo import demo_user
from portal.accounts.models import User
from portal.accounts.services import user_create

from . import payments, services
from .models import EnquiryStatus, Listing, ListingStatus, Order

MILLION = 1_000_000

# (kind, organisation, owner type, title, summary, sector, TRL, IP status, licensing, price in
#  millions or None for negotiable, final status)
LISTINGS = [
    (
        "offer",
        "Đại học Bách khoa Hà Nội",
        "university",
        "Cảm biến bụi mịn PM2.5 giá rẻ kết nối LoRaWAN",
        "Trạm đo bụi mịn và khí NO2 chi phí thấp, pin mặt trời, truyền dữ liệu qua LoRaWAN cho đô thị.",
        "smart_city",
        7,
        "utility_solution",
        "non_exclusive",
        180,
        ListingStatus.PUBLISHED,
    ),
    (
        "offer",
        "Viện Công nghệ thông tin – Viện Hàn lâm KH&CN Việt Nam",
        "institute",
        "Nhận dạng tiếng nói tiếng Việt cho tổng đài hành chính công",
        "Mô hình nhận dạng tiếng nói tiếng Việt ba miền, độ chính xác 95 %, triển khai tại chỗ.",
        "ai",
        8,
        "know_how",
        "research",
        60,
        ListingStatus.PUBLISHED,
    ),
    (
        "offer",
        "Trường Đại học Nông nghiệp Việt Nam",
        "university",
        "Chế phẩm vi sinh xử lý rơm rạ thành phân hữu cơ",
        "Chủng vi sinh phân giải cellulose nhanh, giảm đốt rơm rạ, phù hợp các xã ngoại thành.",
        "agritech",
        6,
        "patent",
        "exclusive",
        None,
        ListingStatus.PUBLISHED,
    ),
    (
        "offer",
        "Công ty Cổ phần Robot Thăng Long",
        "enterprise",
        "Robot kiểm tra đường ống thoát nước",
        "Robot bánh xích có camera 4K và cảm biến khí, kiểm tra cống ngầm đường kính từ 300 mm.",
        "smart_city",
        5,
        "patent_pending",
        "co_development",
        None,
        ListingStatus.PUBLISHED,
    ),
    (
        "offer",
        "Bệnh viện Bạch Mai – Trung tâm Chuyển đổi số",
        "institute",
        "Phần mềm đọc phim X-quang phổi hỗ trợ bởi AI",
        "Phát hiện 14 dấu hiệu bất thường trên phim X-quang ngực, tích hợp PACS, đã thử tại 3 bệnh viện.",
        "healthtech",
        7,
        "know_how",
        "non_exclusive",
        450,
        ListingStatus.PUBLISHED,
    ),
    (
        "offer",
        "Viện Khoa học Vật liệu",
        "institute",
        "Màng lọc nước nano bạc cho hộ gia đình",
        "Màng lọc diệt khuẩn bằng hạt nano bạc, không dùng điện, tuổi thọ 12 tháng.",
        "cleantech",
        4,
        "utility_solution",
        "assignment",
        None,
        ListingStatus.PUBLISHED,
    ),
    (
        "offer",
        "Công ty TNHH Pin Xanh Hà Nội",
        "startup",
        "Tái chế pin lithium từ xe máy điện",
        "Quy trình thu hồi lithium, cobalt từ pin xe máy điện cũ với hiệu suất trên 90 %.",
        "cleantech",
        3,
        "patent_pending",
        "co_development",
        None,
        ListingStatus.UNDER_REVIEW,
    ),
    (
        "offer",
        "Trường Đại học Công nghệ – ĐHQGHN",
        "university",
        "Chip cảm biến gia tốc MEMS",
        "Thiết kế chip MEMS đo gia tốc ba trục cho thiết bị đeo và giám sát công trình.",
        "deeptech",
        4,
        "patent",
        "exclusive",
        None,
        ListingStatus.DRAFT,
    ),
    (
        "offer",
        "Viện Cơ học",
        "institute",
        "Giám sát rung cầu bằng cảm biến quang",
        "Hệ thống đo rung và biến dạng kết cấu cầu bằng cảm biến sợi quang, cảnh báo thời gian thực.",
        "smart_city",
        6,
        "know_how",
        "research",
        90,
        ListingStatus.CLOSED,
    ),
    (
        "offer",
        "Công ty Cổ phần Dữ liệu Mở",
        "enterprise",
        "Bản đồ ngập úng đô thị theo thời gian thực",
        "Dự báo điểm ngập từ dữ liệu mưa và cảm biến mực nước, cập nhật mỗi 5 phút.",
        "smart_city",
        6,
        "none",
        "non_exclusive",
        120,
        ListingStatus.EXPIRED,
    ),
    (
        "request",
        "Công ty Môi trường Đô thị Hà Nội",
        "enterprise",
        "Cần giải pháp cảm biến chất lượng không khí cho 126 xã phường",
        "Tìm công nghệ quan trắc bụi mịn chi phí thấp, dễ lắp đặt, truyền dữ liệu không dây.",
        "smart_city",
        6,
        "none",
        "non_exclusive",
        None,
        ListingStatus.PUBLISHED,
    ),
    (
        "request",
        "Hợp tác xã Nông nghiệp Đông Anh",
        "enterprise",
        "Cần công nghệ xử lý rơm rạ sau thu hoạch",
        "Tìm chế phẩm hoặc thiết bị biến rơm rạ thành phân bón, quy mô 500 ha.",
        "agritech",
        5,
        "none",
        "exclusive",
        None,
        ListingStatus.PUBLISHED,
    ),
    (
        "request",
        "Trung tâm Y tế huyện Sóc Sơn",
        "institute",
        "Cần phần mềm hỗ trợ đọc phim X-quang",
        "Hỗ trợ bác sĩ tuyến cơ sở sàng lọc lao và viêm phổi trên phim X-quang ngực.",
        "healthtech",
        7,
        "none",
        "non_exclusive",
        None,
        ListingStatus.PUBLISHED,
    ),
    (
        "request",
        "Công ty Cổ phần Giao hàng Nhanh Thủ Đô",
        "startup",
        "Tối ưu lộ trình giao hàng bằng AI",
        "Cần thuật toán tối ưu lộ trình cho 2.000 đơn mỗi ngày trong nội thành.",
        "ai",
        6,
        "none",
        "co_development",
        None,
        ListingStatus.PUBLISHED,
    ),
]

# (listing index, final enquiry status, agreed amount in millions)
ENQUIRIES = [
    (0, EnquiryStatus.DEAL, 180),
    (0, EnquiryStatus.NEGOTIATING, None),
    (1, EnquiryStatus.OPEN, None),
    (2, EnquiryStatus.DEAL, 900),
    (3, EnquiryStatus.DECLINED, None),
    (4, EnquiryStatus.OPEN, None),
    (5, EnquiryStatus.NEGOTIATING, None),
]
BUYERS = ["founder@example.org", "buyer1@demo.example.vn", "buyer2@demo.example.vn"]


def _user(email: str) -> User:
    return User.objects.filter(email=email).first() or user_create(
        email=email, password=None, email_verified=True
    )


def _walk_listing(listing: Listing, status: str, owner: User, staff: User) -> Listing:
    if status == ListingStatus.DRAFT:
        return listing
    listing = services.listing_submit(user=owner, listing=listing)
    if status == ListingStatus.UNDER_REVIEW:
        return listing
    listing = services.listing_publish(user=staff, listing=listing)
    if status == ListingStatus.CLOSED:
        return services.listing_close(user=owner, listing=listing, note="Đã chuyển giao xong.")
    if status == ListingStatus.EXPIRED:
        Listing.objects.filter(pk=listing.pk).update(
            expires_on=timezone.localdate() - timedelta(days=1)
        )
        services.listings_expire()
    return listing


def seed_demo_exchange(write) -> None:
    if Listing.objects.filter(title=LISTINGS[0][3]).exists():
        write("Exchange: demo data already there")
        return
    staff = demo_user("staff@example.org")
    provider = demo_user("provider@example.org")
    buyers = [_user(email) for email in BUYERS]
    listings = []
    for n, row in enumerate(LISTINGS):
        (
            kind,
            organisation,
            owner_type,
            title,
            summary,
            sector,
            trl,
            ip,
            licensing,
            price,
            status,
        ) = row
        owner = provider if kind == "offer" and n % 2 == 0 else _user(f"owner{n}@demo.example.vn")
        registered = ip in ("patent", "utility_solution", "patent_pending")
        listing = services.listing_create(
            user=owner,
            fields={
                "kind": kind,
                "owner_organisation": organisation,
                "owner_type": owner_type,
                "title": title,
                "summary": summary,
                "description": f"{summary}\n\nLiên hệ {organisation} để biết thêm chi tiết kỹ thuật, "
                "điều kiện chuyển giao và hỗ trợ triển khai.",
                "sector": sector,
                "trl": trl,
                "ip_status": ip,
                "ip_number": f"{'1' if ip == 'patent' else '2'}-00{34000 + n}"
                if registered
                else "",
                "ip_jurisdiction": "Việt Nam" if registered else "",
                "ip_filed_on": timezone.localdate() - timedelta(days=700 + n * 30)
                if registered
                else None,
                "licensing_model": licensing,
                "price_type": "fixed" if price else "negotiable",
                "price_vnd": price * MILLION if price else None,
            },
        )
        listings.append(_walk_listing(listing, status, owner, staff))
    deals = 0
    for number, (index, status, amount) in enumerate(ENQUIRIES):
        listing = Listing.objects.get(pk=listings[index].pk)
        buyer = buyers[number % len(buyers)]
        enquiry = services.enquiry_send(
            user=buyer,
            listing=listing,
            organisation="Công ty Cổ phần Công nghệ Sông Đà",
            message="Chúng tôi quan tâm và muốn trao đổi về điều kiện chuyển giao, thời gian "
            "triển khai và hỗ trợ kỹ thuật.",
        )
        if status == EnquiryStatus.OPEN:
            continue
        if status == EnquiryStatus.DECLINED:
            services.enquiry_decline(
                user=listing.owner, enquiry=enquiry, reason="price", note="Mức giá chưa phù hợp."
            )
            continue
        services.enquiry_reply(
            user=listing.owner,
            enquiry=enquiry,
            body="Cảm ơn quý công ty. Chúng tôi gửi kèm điều kiện chuyển giao và đề xuất họp tuần sau.",
        )
        if status == EnquiryStatus.DEAL:
            services.enquiry_agree(user=listing.owner, enquiry=enquiry, amount_vnd=amount * MILLION)
            deals += 1
    paid = _paid_orders(listings, provider, buyers[0])
    write(
        f"Exchange: {len(LISTINGS)} offers and requests in every status, "
        f"{len(ENQUIRIES)} enquiries in every state, {deals} deals, {paid} paid orders "
        "(a licence and a featured listing)"
    )


# Orders are made only when Stripe keys are set; the demo's are settled by the same handler the
# webhook uses, with events shaped as Stripe sends them (no network is involved).
DEMO_STRIPE_KEYS = {"STRIPE_SECRET_KEY": "sk_test_demo", "STRIPE_WEBHOOK_SECRET": "whsec_demo"}


def _settle(order: Order) -> None:
    reference = str(order.reference)
    payments.stripe_event_handle(
        event={
            "id": f"evt_demo_{order.reference.hex}",
            "object": "event",
            "type": "checkout.session.completed",
            "data": {
                "object": {
                    "id": f"cs_demo_{order.reference.hex}",
                    "object": "checkout.session",
                    "client_reference_id": reference,
                    "metadata": {"order_reference": reference, "order_kind": order.kind},
                    "payment_status": "paid",
                    "amount_total": order.amount_vnd,
                    "currency": order.currency,
                    "payment_intent": f"pi_demo_{order.reference.hex}",
                }
            },
        }
    )


def _paid_orders(listings: list[Listing], provider: User, buyer: User) -> int:
    with override_settings(**DEMO_STRIPE_KEYS):
        licence = payments.order_for_licence(
            user=buyer, listing=Listing.objects.get(pk=listings[1].pk)
        )
        feature = payments.order_for_feature(
            user=provider, listing=Listing.objects.get(pk=listings[0].pk)
        )
    for order in (licence, feature):
        _settle(order)
    return Order.objects.filter(pk__in=[licence.pk, feature.pk], status="paid").count()
