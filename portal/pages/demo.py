"""Demo CMS content: a Vietnamese home page with its English translation, an about page,
news, and the header and footer menus."""

import datetime

from wagtail.models import Locale, Page, Site

from .models import (
    HomePage,
    MenuSlot,
    NavigationItem,
    NavigationMenu,
    NewsIndexPage,
    NewsPage,
    StandardPage,
)

HOME = {
    "vi": {
        "title": "Cổng Đổi mới sáng tạo Hà Nội",
        "hero_title": "Nơi hệ sinh thái đổi mới sáng tạo của Thủ đô đăng ký, gọi vốn, giao dịch công nghệ và được đo lường",
        "hero_text": "Doanh nghiệp khởi nghiệp đăng ký hồ sơ và nộp đơn vào Quỹ đầu tư mạo hiểm Hà Nội; "
        "các viện, trường chào bán công nghệ; người dân tra cứu sổ đăng ký thử nghiệm có kiểm soát.",
        "hero_link_label": "Tìm hiểu về Cổng",
    },
    "en": {
        "title": "Hanoi Innovation Portal",
        "hero_title": "Where the capital's innovation ecosystem registers, raises funds, trades technology and is measured",
        "hero_text": "Startups register and apply to the Hanoi Venture Capital Fund; universities and "
        "institutes offer technologies; anyone can check the regulatory sandbox register.",
        "hero_link_label": "About the portal",
    },
}

ABOUT = {
    "vi": (
        "Giới thiệu",
        "gioi-thieu",
        "Cổng Đổi mới sáng tạo Hà Nội phục vụ Nghị quyết 57-NQ/TW và các nghị quyết "
        "của HĐND Thành phố về khoa học, công nghệ, đổi mới sáng tạo và chuyển đổi số.",
        "<p>Mục tiêu đến năm 2030: <b>5.000</b> doanh nghiệp khởi nghiệp sáng tạo; quỹ đầu tư mạo hiểm "
        "quy mô ít nhất <b>1.000 tỷ đồng</b>; giải ngân <b>100 %</b> vốn khoa học và công nghệ được giao.</p>",
    ),
    "en": (
        "About",
        "about",
        "The Hanoi Innovation Portal serves Resolution 57-NQ/TW and the Hanoi People's "
        "Council resolutions on science, technology, innovation and digital transformation.",
        "<p>Targets to 2030: <b>5,000</b> innovative startups; a venture capital fund of at least "
        "<b>1,000 billion VND</b>; <b>100 %</b> disbursement of allocated S&amp;T budget.</p>",
    ),
}

NEWS_INDEX = {
    "vi": ("Tin tức", "tin-tuc", "Tin tức về hệ sinh thái đổi mới sáng tạo Hà Nội."),
    "en": ("News", "news", "News from Hanoi's innovation ecosystem."),
}

NEWS = [
    (
        datetime.date(2026, 11, 16),
        "quy-dau-tu-mao-hiem-ha-noi-mo-dot-goi-von-dau-tien",
        "hanoi-venture-fund-opens-first-call",
        (
            "Quỹ Đầu tư mạo hiểm Hà Nội mở đợt gọi vốn đầu tiên",
            "Quỹ thí điểm với 600 tỷ đồng vốn ngân sách năm 2026 nhận hồ sơ từ doanh nghiệp khởi nghiệp đã được xác minh.",
        ),
        (
            "Hanoi Venture Capital Fund opens its first call",
            "The pilot fund, with 600 billion VND of city budget in 2026, accepts applications from verified startups.",
        ),
    ),
    (
        datetime.date(2026, 11, 9),
        "khoi-dong-so-dang-ky-thu-nghiem-co-kiem-soat",
        "controlled-testing-register-launched",
        (
            "Khởi động sổ đăng ký thử nghiệm có kiểm soát",
            "Theo Nghị quyết 29/2025/NQ-HĐND, các quyết định cho phép thử nghiệm được công bố công khai trên Cổng.",
        ),
        (
            "Controlled testing register launched",
            "Under Resolution 29/2025/NQ-HĐND, decisions allowing controlled testing are published on the portal.",
        ),
    ),
    (
        datetime.date(2026, 11, 2),
        "san-giao-dich-cong-nghe-ha-noi-ket-noi-vien-truong",
        "hanoi-technology-exchange-connects-institutes",
        (
            "Sàn giao dịch công nghệ Hà Nội kết nối viện, trường và doanh nghiệp",
            "Các viện nghiên cứu và trường đại học đăng chào bán công nghệ với mức sẵn sàng TRL và tình trạng sở hữu trí tuệ.",
        ),
        (
            "Hanoi Technology Exchange connects institutes and companies",
            "Research institutes and universities list technologies with their readiness level and IP status.",
        ),
    ),
]

FOOTER_TEXT = {
    "vi": "<p><b>Sở Khoa học và Công nghệ Hà Nội</b><br/>Cổng thông tin phục vụ hệ sinh thái đổi mới sáng tạo Thủ đô.</p>",
    "en": "<p><b>Hanoi Department of Science and Technology</b><br/>The portal of the capital's innovation ecosystem.</p>",
}


def publish(page: Page) -> Page:
    page.save_revision().publish()
    return page


def translation_of(page: Page, locale: Locale, **fields) -> Page:
    """The `locale` translation of `page`, created under its parent's translation if missing."""
    translated = page.get_translation_or_none(locale)
    if translated is not None:
        return translated
    parent = page.get_parent()
    parent = parent if parent.depth == 1 else parent.get_translation(locale)
    instance = page.specific_class(translation_key=page.translation_key, locale=locale, **fields)
    return publish(parent.add_child(instance=instance))


def _child(parent: Page, model, slug: str, **fields) -> Page:
    existing = model.objects.child_of(parent).filter(slug=slug).first()
    if existing:
        return existing
    return publish(parent.add_child(instance=model(slug=slug, **fields)))


def _home(vi: Locale) -> HomePage:
    home = HomePage.objects.filter(locale=vi).first()
    if home is None:
        root = Page.get_first_root_node()
        home = publish(root.add_child(instance=HomePage(slug="trang-chu", locale=vi, **HOME["vi"])))
        site = Site.objects.filter(is_default_site=True).first()
        welcome = site.root_page if site else None
        Site.objects.update_or_create(
            is_default_site=True,
            defaults={
                "hostname": "localhost",
                "port": 80,
                "root_page": home,
                "site_name": HOME["vi"]["title"],
            },
        )
        if welcome and welcome.specific_class is Page:
            welcome.delete()
    return home


def menu_add(
    slot: str, locale: Locale, label: str, page: Page | None = None, url: str = ""
) -> None:
    """Adds a link to `page` (or to `url`, for pages that are not CMS pages) at the end of a menu
    that does not have it yet: other apps' demo pages."""
    menu = NavigationMenu.objects.filter(slot=slot, locale=locale).first()
    if menu is None or menu.items.filter(page=page, url=url).exists():
        return
    NavigationItem.objects.create(
        menu=menu, sort_order=menu.items.count(), label=label, page=page, url=url
    )


def _menu(
    slot: str, locale: Locale, items: list[tuple[str, Page | None, str]], text: str = ""
) -> None:
    menu, _ = NavigationMenu.objects.get_or_create(
        slot=slot, locale=locale, defaults={"text": text}
    )
    if menu.items.exists():
        return
    for order, (label, page, url) in enumerate(items):
        NavigationItem.objects.create(menu=menu, sort_order=order, label=label, page=page, url=url)


def seed_demo_pages(write) -> None:
    vi = Locale.get_default()
    en, _ = Locale.objects.get_or_create(language_code="en")
    home = _home(vi)
    about_title, about_slug, about_intro, about_body = ABOUT["vi"]
    about = _child(
        home,
        StandardPage,
        about_slug,
        title=about_title,
        intro=about_intro,
        body=[("paragraph", about_body)],
    )
    news_title, news_slug, news_intro = NEWS_INDEX["vi"]
    news_index = _child(home, NewsIndexPage, news_slug, title=news_title, intro=news_intro)
    articles = []
    for date, slug_vi, _slug_en, (title, summary), _en in NEWS:
        articles.append(
            _child(
                news_index,
                NewsPage,
                slug_vi,
                title=title,
                summary=summary,
                date=date,
                body=[("paragraph", f"<p>{summary}</p>")],
            )
        )

    home_en = translation_of(home, en, slug="home", **HOME["en"])
    title, slug, intro, body = ABOUT["en"]
    about_en = translation_of(
        about, en, title=title, slug=slug, intro=intro, body=[("paragraph", body)]
    )
    title, slug, intro = NEWS_INDEX["en"]
    news_en = translation_of(news_index, en, title=title, slug=slug, intro=intro)
    for article, (_date, _slug_vi, slug_en, _vi, (title, summary)) in zip(
        articles, NEWS, strict=True
    ):
        translation_of(
            article,
            en,
            title=title,
            slug=slug_en,
            summary=summary,
            body=[("paragraph", f"<p>{summary}</p>")],
        )

    for page, target in ((home, about), (home_en, about_en)):
        page.refresh_from_db()
        if page.hero_link_page_id is None:
            page.hero_link_page = target
            publish(page)

    _menu(MenuSlot.MAIN, vi, [("Giới thiệu", about, ""), ("Tin tức", news_index, "")])
    _menu(MenuSlot.MAIN, en, [("About", about_en, ""), ("News", news_en, "")])
    _menu(
        MenuSlot.FOOTER,
        vi,
        [
            ("Giới thiệu", about, ""),
            ("Tin tức", news_index, ""),
            ("Kiểm tra hệ thống", None, "/healthz"),
        ],
        FOOTER_TEXT["vi"],
    )
    _menu(
        MenuSlot.FOOTER,
        en,
        [("About", about_en, ""), ("News", news_en, ""), ("System status", None, "/healthz")],
        FOOTER_TEXT["en"],
    )
    write(
        f"CMS: home page in Vietnamese and English, about page, {len(articles)} news articles, menus."
    )
