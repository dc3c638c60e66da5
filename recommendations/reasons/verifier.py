"""The verifier: a generated reason may say only what its evidence holds.

Small models invent ("a high-end jacket", "recommended by a shopper", "you bought it last
week"). A reason that names a product, brand, category, attribute, number or piece of the
shopper's history that its evidence lacks, or that has the wrong length or language, fails with
a short stable cause; the caller serves the template reason instead and records the cause.

English is held strictly: every word is a neutral phrasing word or a word of the evidence.
Chinese is held to lexicons of the claims small models make (history, endorsements, popularity,
attributes, product types), each needing its support in the evidence, and to a list of the
characters of neutral phrasing: any other character ("空间宽敞" unlisted, or garbled output) fails.
Both are held to the catalog's names and to the numbers of the evidence.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from .evidence import Evidence
from .vocabulary import TOKEN, Vocabulary, name_key, name_tokens, name_variants

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Punctuation that ends a phrase: a name never runs across it.
PHRASE_END = re.compile(r"[.!?;:。，、！？；：()（）\"“”\u3400-\u9fff\uf900-\ufaff]")
MASK = "§"
VALUE = frozenset({"value"})
ALL_WHEN = frozenset({"today", "yesterday", "this_week", "last_week", "this_month", "earlier"})
RECENT = ALL_WHEN - {"earlier"}


@dataclass(frozen=True)
class Verdict:
    passed: bool
    cause: str | None = None
    detail: str = ""


PASSED = Verdict(True)


def _stem(word: str) -> str:
    """Crude English stemming, the same on both sides: "pairs", "paired", "pairing" → "pair"."""
    if len(word) > 4 and word.endswith("ies"):
        word = word[:-3] + "y"
    elif len(word) > 3 and word.endswith("es") and word[-3] in "sxhz":
        word = word[:-2]
    elif len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
        word = word[:-1]
    for suffix in ("ing", "ed"):
        if len(word) > len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
            if len(word) > 2 and word[-1] == word[-2] and word[-1] not in "ls":
                word = word[:-1]
            break
    return word[:-1] if len(word) > 3 and word.endswith("e") else word


def _listed(text: str) -> list[str]:
    return text.split()


# Words that carry no fact, only phrasing. Anything else an English reason says must be a word of
# its evidence. Action, time and popularity words are here because their own checks hold them.
NEUTRAL = frozenset(
    _stem(word)
    for word in _listed(
        """
    a an the this that these those it its they them their there here you your yours we our us i me
    my one ones another other others some any each both all every same such what which who whom
    whose where why how s ve re ll d t m and or but so yet also too as than then if when while
    because since with without for to of in on at by from into onto over under below above within
    between about around after before during up down out off near per via be is are was were been
    being has have had do does did can could will would may might should must not no just only even
    still already again more most less much many very really quite rather well pair paired pairing
    go goes went going fit fits fitted fitting match matches matched matching complement
    complements complete completes suit suits work works nicely together alongside along next step
    choice option alternative pick picked idea great good nice solid smart handy ideal perfect
    sensible worth consider try look looking see like alike similar comparable close related
    instead swap shop store shopper people customer buyer someone often frequently usually commonly
    typically regularly buy bought purchase purchased order ordered get got view viewed browse
    browsed check checked search searched cart basket add added saved chose choose chosen today
    yesterday week month last earlier recently recent lately ago now currently right time day price
    priced cost costs eur euro usd dollar gbp pound limit budget max maximum min minimum least
    spend ask asked want wanted request requested criteria meet meets brand category range type
    kind style colour color material size page viewing thing item product gear kit piece popular
    popularity trending trend demand selling times twice usual normal normally rate faster higher
    share shared sharing common own owned keep set setup upgrade use completing back thinking think
    interested remember based given thanks interest recommend recommended suggest suggested enjoy
    companion partner addition something else different make makes made exactly need needs either
    plus best bestseller bestselling
    """
    )
)
# Phrasing whose stem would be a fact: "watched" is not a watch, "sales" (up 50%) not a sale.
NEUTRAL_FORMS = frozenset({"watched", "sales"})
UNITS = frozenset(_listed("l ml mm cm m g kg km h x c eur usd gbp"))
NUMBER_WORDS = {
    w: n
    for n, w in enumerate(
        _listed(
            "_ _ two three four five six seven eight nine ten eleven twelve thirteen fourteen "
            "fifteen sixteen seventeen eighteen nineteen twenty"
        )
    )
    if n >= 2
} | {"twice": 2, "double": 2, "triple": 3}
ZH_DIGITS = {"两": 2, "二": 2, "三": 3, "四": 4, "五": 5, "六": 6, "七": 7, "八": 8, "九": 9}

CURRENCIES = {
    "€": "EUR", "eur": "EUR", "euro": "EUR", "euros": "EUR", "欧元": "EUR",
    "$": "USD", "usd": "USD", "dollar": "USD", "dollars": "USD", "美元": "USD",
    "£": "GBP", "gbp": "GBP", "pound": "GBP", "pounds": "GBP", "英镑": "GBP",
    "¥": "CNY", "人民币": "CNY", "元": None, "块": None,
}  # fmt: skip
AMOUNT = re.compile(
    r"(?P<pre>[€$£¥])?\s*(?<![0-9A-Za-z.])(?P<num>\d+(?:[.,]\d+)*)(?P<pct>\s*%)?"
    r"(?:\s*(?P<post>euros?|eur|usd|dollars?|gbp|pounds?|欧元|美元|英镑|人民币|元|块)(?![a-z]))?",
    re.IGNORECASE,
)
SPELLED = re.compile(r"\b(?:" + "|".join(NUMBER_WORDS) + r")\b", re.IGNORECASE)
UNIT_AFTER = re.compile(r"[\s-]*(个月|小时|[a-z]+|[×倍位名人次天周月年])", re.IGNORECASE)
TREND_UNITS = frozenset({"x", "×", "time", "倍", "%"})
# The evidence says when in words ("last week"), never in numbers of days.
TIME_UNITS = frozenset(
    {_stem(w) for w in ("days", "weeks", "months", "years", "hours", "minutes")}
    | {"天", "周", "月", "年", "个月", "小时"}
)
COUNT_UNITS = frozenset(
    {_stem(w) for w in ("shoppers", "people", "customers", "buyers", "位", "名", "人")}
)
ZH_NUMBER = re.compile(
    r"(十[一二三四五六七八九]?|[两二三四五六七八九]十?[一二三四五六七八九]?)(?=[位个名人款件倍次颗星])"
)

# The shopper's own actions, and the links that support them.
EN_ACTIONS = {
    "bought": "bought|purchased|ordered|got|picked up|picked|chose",
    "viewed": "viewed|looked at|checked out|browsed|saw|seen|looked|watched",
    "searched": "searched(?: for)?|looked for|asked for|requested|wanted",
    "carted": "added|carted|put|saved",
}
EN_YOU = re.compile(
    r"\byou(?:['’]ve| have| had|['’]d)?\s+(?:(?:just|already|recently|also|once|previously|"
    r"last|first|earlier|then)\s+)*(?P<verb>" + "|".join(EN_ACTIONS.values()) + r")\b"
)
EN_YOUR = re.compile(
    r"\b(?:your|in your)\s+(?:(?:recent|last|latest|previous|earlier)\s+)?(?:(?P<bought>purchases?|"
    r"orders?)|(?P<carted>cart|basket)|(?P<searched>search|request|limit|budget|criteria)|"
    r"(?P<viewed>views?|browsing))\b|\bas you (?P<searched2>asked|wanted|requested)\b"
)
ZH_YOU = re.compile(
    r"[你您](?:们)?(?:在)?(?P<when>今天|昨天|前天|本周|这周|这个星期|这星期|上周末|上周|上个星期|上星期|"
    r"上礼拜|本月|这个月|上个月|之前|以前|此前|先前|早前|早些时候|一段时间前|前些时候|前段时间|最近|"
    r"近期|前几天|刚刚|"
    r"刚才)?(?:刚刚|刚|已经|曾经|也|还|曾|又|都|在)*(?:[把将][^，。,\s§]{0,4}?)?(?P<verb>购买|买|下单|订购|浏览|查看|看(?!看)|"
    r"搜索|搜|加入购物车|放入购物车|加购|加入|收藏)"
)
ZH_VERBS = {
    "购买": "bought", "买": "bought", "下单": "bought", "订购": "bought", "浏览": "viewed",
    "查看": "viewed", "看": "viewed", "搜索": "searched", "搜": "searched",
    "加入购物车": "carted", "放入购物车": "carted", "加购": "carted", "加入": "carted",
    "收藏": "carted",
}  # fmt: skip
ZH_YOUR = re.compile(
    r"[你您]的?(?:(?P<bought>订单|购买记录)|(?P<carted>购物车)|(?P<viewed>浏览记录|浏览历史)|"
    r"(?P<searched>搜索|预算|上限|要求|需求|条件))"
)
PAGE = re.compile(
    r"\byou(?:['’]re| are)\s+(?:currently\s+)?(?:looking at|viewing|browsing)\b|\bthis page\b|"
    r"\bon the page\b|[你您](?:正在|在)(?:看|浏览|查看)|正在(?:看|浏览|查看)|当前(?:页面|商品)|"
    r"这个页面"
)
WHEN: list[tuple[re.Pattern[str], frozenset[str]]] = [
    (re.compile(pattern), frozenset(buckets))
    for pattern, buckets in (
        (r"\btoday\b|\bthis morning\b|\bjust now\b|今天|今日|今早|刚刚|刚才", {"today"}),
        (r"\byesterday\b|昨天|昨日", {"yesterday"}),
        (r"\bthis week\b|本周|这周|这个星期|这星期", {"this_week"}),
        (r"\blast week\b|\ba week ago\b|上周|上个星期|上星期|上礼拜", {"last_week"}),
        (r"\bthe day before yesterday\b|前天", {"this_week", "last_week"}),
        (r"\bthis month\b|本月|这个月", {"this_month"}),
        (r"\blast month\b|\ba while (?:ago|back)\b|\bsome time ago\b|上个月|一段时间前|早前|"
         r"前些时候|前段时间",
         {"this_month", "earlier"}),
        (r"\brecently\b|\blately\b|\bthe other day\b|\bdays ago\b|最近|近期|前几天", RECENT),
    )
]  # fmt: skip
TOGETHER: list[tuple[re.Pattern[str], frozenset[str]]] = [
    (re.compile(pattern), frozenset(relations))
    for pattern, relations in (
        (r"\b(?:bought|purchased|buy|buying|paired|ordered)\s+(?:it\s+|this\s+|them\s+|both\s+)?"
         r"(?:with|alongside|together)\b|\bsame (?:basket|order|cart)\b|"
         r"一起(?:购买|买|下单|入手|选购)|同时(?:购买|买|下单)|搭配购买|同一(?:订单|购物车)",
         {"bought_together"}),
        (r"\b(?:bought|purchased|buy|buying|ordered)\s+(?:\w+\s+){0,2}?(?:next|after|afterwards|"
         r"later)\b|\bwent on to buy\b|\bthen (?:bought|buy)\b|\bnext (?:buy|purchase|step)\b|"
         r"\bfollow[- ]up\b|(?:之后|以后|随后|接着|然后|后来|紧接着)(?:又|还|会|再|常|通常|往往|"
         r"经常|常常|都|也)*(?:购买|买|下单|入手|选购)", {"bought_next"}),
        (r"\b(?:people|shoppers|customers|buyers|others|those|anyone|everyone)\s+who\s+(?:also\s+)?"
         r"(?:bought|purchased|ordered)\b|\balso (?:bought|purchased)\b|\bbuyers of\b|"
         r"(?:购买|买)(?:过|了)[^，。,]{0,40}?的(?:人|顾客|用户|买家|购物者)",
         {"bought_together", "bought_next"}),
        (r"\b(?:viewed|looked at|browsed)\s+(?:\w+\s+){0,2}?(?:together|alongside)\b|"
         r"\balso (?:viewed|looked at|browsed)\b|\b(?:people|shoppers|customers|others)\s+who\s+"
         r"(?:viewed|looked at|browsed)\b|一起(?:浏览|查看)|(?:也|还)(?:浏览|看|查看)(?:了|过)|"
         r"(?:浏览|看)(?:过|了)[^，。,]{0,40}?的(?:人|顾客|用户|买家|购物者)", {"viewed_together"}),
    )
]  # fmt: skip
POPULAR = re.compile(
    r"\bpopular\b|\bpopularity\b|\bbest[- ]?sell\w*|\bin (?:high )?demand\b|\bmany (?:shoppers|"
    r"people|customers|buyers)\b|\blots of (?:shoppers|people|customers)\b|\bcrowd[- ]pleas\w*|"
    r"热门|受欢迎|人气|畅销|热销|爆款|抢手|(?:很多|许多|不少|大量|众多)(?:人|顾客|用户|买家|购物者)|大家都在"
)
TRENDING = re.compile(
    r"\btrend\w*|\bselling (?:fast|quickly)\b|\bflying off\b|\b(?:than|as) usual\b|\bthan normal\b|"
    r"\bon the rise\b|\bpicking up\b|\btaking off\b|\bsurg\w+|\bspik\w+|趋势|走红|流行|火爆|飙升|"
    r"比平时|比往常|比平常|很火|上升|增长|走高"
)
ENDORSEMENT = re.compile(
    r"\brecommended by\b|\b(?:experts?|reviewers?|critics?|editors?|influencers?|professionals|"
    r"specialists|testers)\b|\b(?:loved|trusted|praised|endorsed|approved|worn|used) by\b|"
    r"\b(?:customers|shoppers|people|users|buyers|everyone|runners|hikers|riders|athletes|fans)\s+"
    r"(?:love|adore|rave|swear|praise|trust|recommend)\w*|\baward\w*|\bfavou?rite\b|"
    r"\bmust[- ]have\b|\bbest\b(?![- ]?sell)|\bnumber one\b|#\s?1\b|\bguarantee\w*|\bcertified\b|"
    r"\bproven\b|\bexclusive\w*|\blimited edition\b|(?:专家|达人|编辑|评测|测评|专业人士|教练|"
    r"运动员|网友|大家|顾客|用户|买家|消费者|跑友|驴友|车友)(?:们)?(?:都|一致|纷纷)?(?:推荐|认可|力荐|"
    r"喜爱|喜欢|青睐|称赞|信赖|点赞)|好评如潮|口碑|获奖|大奖|最佳|第一|必备|必买|神器|保证|明星同款|"
    r"网红|首选|最好|顶尖|权威|认证|限量"
)
RATING = re.compile(
    r"\brat(?:ed|ing)\b|\breview(?:s|ed)?\b|\bstars?\b|评分|评价|星级|\d\s*星|[一二三四五]\s*颗?星"
)
HIGH_RATING = re.compile(
    r"\b(?:top|highly|best|well)[- ]rated\b|\b(?:five|5)[- ]stars?\b|好评|高分|五星|5\s*星"
)
SAME_BRAND = re.compile(r"\bsame brand\b|同(?:一)?品牌|同牌")

# Chinese words for what a product is or has, and the English words of the evidence that
# support them (any one suffices).
ZH_CATEGORY_TERMS = {
    "帐篷": "tent", "双肩包": "backpack pack daypack", "背包": "backpack pack daypack",
    "睡袋": "sleeping", "睡垫": "pad mat", "防潮垫": "pad mat", "炉头": "stove", "炉具": "stove",
    "锅具": "cookset pot pan", "锅": "cookset pot pan", "套锅": "cookset pot", "马克杯": "mug",
    "保温杯": "mug", "杯子": "mug cup", "头灯": "headlamp", "营地灯": "lantern",
    "露营灯": "lantern", "越野跑鞋": "trail", "跑鞋": "shoe", "鞋": "shoe boot trainer",
    "夹克": "jacket", "外套": "jacket", "冲锋衣": "jacket", "紧身裤": "tights", "袜": "sock",
    "背心": "vest", "水壶": "flask bottle", "水瓶": "bottle flask", "能量胶": "gel",
    "能量棒": "bar", "电解质": "electrolyte", "蛋白粉": "protein", "头盔": "helmet",
    "车灯": "light", "骑行服": "jersey", "骑行裤": "shorts bib", "手套": "glove", "打气筒": "pump",
    "工具": "tool", "链条油": "lube", "码表": "computer", "心率带": "heart", "哑铃": "dumbbell",
    "壶铃": "kettlebell", "弹力带": "band", "瑜伽垫": "mat", "瑜伽砖": "block", "泡沫轴": "roller",
    "按摩枪": "massage", "健身车": "bike", "动感单车": "bike", "划船机": "rowing", "跳绳": "rope",
    "户外": "outdoor", "露营": "camping camp", "徒步": "hiking hike trek", "跑步": "running run",
    "骑行": "cycling ride bike", "健身": "fitness training workout gym", "瑜伽": "yoga",
    "登山": "mountain alpine climbing",
}  # fmt: skip
ZH_ATTRIBUTE_TERMS = {
    "防水": "waterproof waterproofing", "防泼水": "repellency repellent", "拒水": "repellency",
    "轻便": "lightweight ultralight lite light", "轻量": "lightweight ultralight lite light",
    "轻巧": "lightweight ultralight lite", "超轻": "ultralight ul", "轻盈": "lightweight",
    "高端": "premium", "高档": "premium", "顶级": "premium", "旗舰": "premium", "奢华": "luxury",
    "豪华": "luxury", "耐用": "durable", "耐磨": "durable", "结实": "durable sturdy",
    "坚固": "durable sturdy", "透气": "breathable mesh ventilated",
    "保暖": "warm insulated down fleece thermal winter", "舒适": "comfortable comfort cushioned",
    "环保": "recycled eco sustainable bluesign biodegradable", "可持续": "sustainable recycled",
    "有机": "organic", "手工": "handmade", "手作": "handmade", "新款": "new latest", "全新": "new",
    "新品": "new", "最新": "latest new", "折扣": "sale discount", "打折": "sale discount",
    "优惠": "sale discount deal", "促销": "sale", "特价": "sale", "降价": "sale reduced",
    "清仓": "clearance", "包邮": "shipping", "免运费": "shipping", "便宜": "budget",
    "实惠": "budget", "平价": "budget", "性价比": "budget value",
    "专业": "technical pro race professional", "紧凑": "compact", "小巧": "compact small",
    "便携": "packable portable compact", "折叠": "folding foldable collapsible",
    "反光": "reflective", "速干": "wicking dry", "排汗": "wicking", "防风": "windproof",
    "防臭": "odour", "静音": "quiet silent", "可充电": "rechargeable usb", "女款": "women",
    "女士": "women", "男款": "men", "男士": "men", "儿童": "kids", "新手": "beginners",
    "入门": "beginners", "时尚": "stylish", "百搭": "versatile", "经典": "classic", "复古": "retro",
    "简约": "minimalist", "极简": "minimalist", "黑色": "black", "白色": "white",
    "灰色": "grey gray graphite slate", "绿色": "green", "蓝色": "blue navy cobalt",
    "红色": "red coral", "橙色": "orange", "黄色": "yellow volt", "粉色": "pink", "沙色": "sand",
    "橄榄": "olive", "橄榄绿": "olive", "海军蓝": "navy", "森林绿": "forest", "尼龙": "nylon",
    "聚酯": "polyester", "羽绒": "down", "美利奴": "merino", "羊毛": "wool merino",
    "钛": "titanium", "不锈钢": "stainless", "铝": "aluminium aluminum", "橡胶": "rubber",
    "软木": "cork", "碳板": "carbon", "碳纤维": "carbon", "纯棉": "cotton", "帆布": "canvas",
    "硅胶": "silicone", "宽敞": "spacious roomy", "宽大": "spacious roomy", "大容量": "large",
    "柔软": "soft plush", "稳固": "stable sturdy", "防滑": "grip non-slip",
    "减震": "cushioned cushioning", "缓冲": "cushioned cushioning", "抓地": "grip grippy lug",
    "保温": "insulated double-wall", "快干": "dry wicking", "高品质": "", "优质": "", "精致": "",
    "高性能": "performance", "人体工学": "ergonomic", "安全": "safety mips protection",
    "超值": "value budget", "可调节": "adjustable", "多功能": "multi", "续航": "battery runtime",
    "有货": "stock", "现货": "stock",
}  # fmt: skip
ZH_TERMS = sorted(
    [(term, "category", words) for term, words in ZH_CATEGORY_TERMS.items()]
    + [(term, "attribute", words) for term, words in ZH_ATTRIBUTE_TERMS.items()],
    key=lambda item: -len(item[0]),
)


# The characters of Chinese phrasing: anything else a Chinese reason says must be a name, a term of
# the lexicons above that the evidence supports, or a phrase that an earlier check has held.
ZH_NEUTRAL = (
    "的了过是在也都很更最还又就才再已被把将让给为对与和跟同及并且而或但因所以如若果这那此其它他她们"
    "你您我个款件种顶双套只台副条些每各一二两三四五六七八九十百千万位名人次倍搭配适合相似类样起替代"
    "选择挑推荐看浏览查搜索购买加入车物下单订收藏喜欢考虑试找想要需用穿带来自出品属于有没无能可会值"
    "得不错好棒佳理之顾客户家者商产牌系列价格售钱元欧美英镑预算上限以内件求符满足低高超少多页面当前"
    "正周月天今昨本时候近期段平常往比率量销度关注热门流行趋势火受迎共点外另现货库存记录历史中里后接"
    "着随经通吗呢吧啊呀哦非特别真分完绝妨顺便手风格颜色材质料尺码寸容重式设计功呈如何等即将刚才曾"
    "根据基由既详情解发现许或较加尤恰方全组装备东西味规到达具定"
)
# Phrases an earlier check has held (history, popularity, pairing, time).
ZH_HANDLED = (
    *(PAGE, POPULAR, TRENDING, ZH_YOU, ZH_YOUR, RATING, SAME_BRAND),
    *(pattern for pattern, _ in (*WHEN, *TOGETHER)),
)


@dataclass(frozen=True)
class _Facts:
    """The evidence, indexed the ways the checks ask."""

    names: dict[str, frozenset[str]]  # name key → roles: product, history:i, together:i, page
    name_words: tuple[tuple[str, frozenset[str]], ...]
    words: frozenset[str]  # stems of every word of the evidence's text
    numbers: frozenset[Decimal]  # any number the evidence holds
    money: frozenset[Decimal]  # the price and the limits of the request
    counts: frozenset[Decimal]  # shoppers
    trend: frozenset[Decimal]  # the ways to say the trend
    units: dict[str, frozenset[Decimal]]  # "person" → {2}, "l" → {40}: numbers with their unit
    text: str  # the evidence's text, lower-cased, for Chinese terms the shop wrote itself


@dataclass
class _Reading:
    """The reason as tokens, the evidence's names among them marked with their roles."""

    text: str
    chinese: bool
    tokens: list[tuple[str, int, int]]
    roles: list[frozenset[str]]  # per token: "value", "product", "history:0", ... or empty
    hits: list[tuple[int, int, str]]  # catalog names the evidence lacks: start, end, kind
    masked: str  # lower-cased, every name of the evidence replaced by MASK

    def named(self) -> frozenset[str]:
        return frozenset().union(*self.roles) - {"value"}

    def free(self) -> list[str]:
        """Tokens that are neither a name of the evidence nor a catalog name."""
        hit = {k for i, j, _ in self.hits for k in range(i, j)}
        return [t for k, (t, _, _) in enumerate(self.tokens) if not self.roles[k] and k not in hit]


def verify(
    text: str,
    evidence: Evidence,
    *,
    language: str,
    vocabulary: Vocabulary,
    max_words: int = 25,
    max_chars: int = 50,
) -> Verdict:
    """Whether `text` says only what `evidence` holds, in `language` ("en" or "zh-hans")."""
    if not text.strip():
        return Verdict(False, "empty", "no text")
    if not language.startswith(("en", "zh")):
        return Verdict(False, "language", f"no rules for {language!r}")
    facts = _evidence_facts(evidence, vocabulary)
    reading = _read(text, language.startswith("zh"), facts, vocabulary)
    checks = (
        lambda: _check_language(reading),
        lambda: _check_length(reading, max_words=max_words, max_chars=max_chars),
        lambda: _check_claims(reading, evidence),
        lambda: _check_history(reading, evidence),
        lambda: _check_names(reading, evidence),
        lambda: _check_numbers(reading, facts, evidence),
        lambda: _check_words(reading, facts),
    )
    for check in checks:
        if verdict := check():
            return verdict
    return PASSED


def _decimal(text: str | None) -> Decimal | None:
    """ "1,299" and "1299.00" are 1299; "89,99" is 89.99."""
    if text is None:
        return None
    if re.fullmatch(r"\d{1,3}(?:,\d{3})+(?:\.\d+)?", text):
        text = text.replace(",", "")
    elif re.fullmatch(r"\d+,\d{1,2}", text):
        text = text.replace(",", ".")
    try:
        return Decimal(text)
    except InvalidOperation:
        return None


def _evidence_facts(evidence: Evidence, vocabulary: Vocabulary) -> _Facts:
    product = evidence.product
    brands = vocabulary.brands | ({name_key(product.brand)} if product.brand else set())
    named: list[tuple[str, str]] = [("product", product.name)]
    named += [(f"history:{i}", link.name) for i, link in enumerate(evidence.history)]
    named += [(f"together:{i}", item.name) for i, item in enumerate(evidence.together)]
    named += [("page", evidence.page_product)] if evidence.page_product else []
    values = [product.brand or "", *(product.category or "").split(">")]
    values += [value for value in product.attributes.values() if isinstance(value, str)]
    values += [value for link in evidence.history for value in link.shared]
    values += list(evidence.shared_with_page)
    values += [c.value for c in evidence.constraints if c.kind in ("brand", "category", "word")]
    names: dict[str, set[str]] = {}
    for role, name in named:
        for key in name_variants(name, brands):
            names.setdefault(key, set()).add(role)
    for value in values:
        key = name_key(value)
        if key and not key.replace(" ", "").isdigit():
            names.setdefault(key, set()).add("value")
    # An attribute's name is a word of the evidence where its value affirms it ("waterproof":
    # "yes"), not where it denies it ("waterproof": "no").
    keys = [k.replace("_", " ") for k, v in product.attributes.items() if _affirms(v)]
    text = " ".join([name for _, name in named] + values + keys).lower()
    words = {_stem(token) for token in name_tokens(text) if not CJK.match(token)}
    words |= {_stem(w) for term, _, gloss in ZH_TERMS if term in text for w in gloss.split()}
    if product.in_stock or any(c.kind == "in_stock" for c in evidence.constraints):
        words |= {"stock", "available"}
    if product.rating is not None:
        words |= {_stem(w) for w in ("rated", "rating", "stars", "reviews", "out")}
    money = {_decimal(c.value) for c in evidence.constraints if c.kind.endswith("_price")}
    money = {n for n in (*money, _decimal(product.price)) if n is not None}
    counts = {Decimal(item.shoppers) for item in evidence.together}
    counts |= {Decimal(evidence.shoppers)} if evidence.shoppers is not None else set()
    trend = _trend_numbers(evidence.trend) if evidence.trend is not None else set()
    units: dict[str, set[Decimal]] = {}
    for _, value, _, unit in _number_claims(text):
        units.setdefault(unit, set()).add(value)
    numbers = set().union(*units.values(), money, counts, trend)
    if product.rating is not None:
        numbers |= {Decimal(str(round(product.rating, 1))), Decimal(5)}
    return _Facts(
        names={key: frozenset(roles) for key, roles in names.items()},
        name_words=tuple((role, frozenset(name_tokens(name))) for role, name in named),
        words=frozenset(words),
        numbers=frozenset(numbers),
        money=frozenset(money),
        counts=frozenset(counts),
        trend=frozenset(trend),
        units={unit: frozenset(values) for unit, values in units.items() if unit},
        text=text,
    )


def _affirms(value: object) -> bool:
    return bool(value) and str(value).strip().lower() not in ("no", "false", "none", "0")


def _trend_numbers(trend: float) -> set[Decimal]:
    """The ways to say "2.5 times its usual rate": 2.5, 150% (more), or a whole number it
    rounds to (2 or 3)."""
    numbers = {Decimal(str(round(trend, 1))), Decimal(round((trend - 1) * 100))}
    numbers.add(Decimal(round((trend - 1) * 10) * 10))
    whole, fraction = divmod(trend, 1)
    if fraction <= 0.5:
        numbers.add(Decimal(int(whole)))
    if fraction >= 0.5:
        numbers.add(Decimal(int(whole) + 1))
    return numbers


def _read(text: str, chinese: bool, facts: _Facts, vocabulary: Vocabulary) -> _Reading:
    tokens = [(m.group().lower(), m.start(), m.end()) for m in TOKEN.finditer(text)]
    roles: list[frozenset[str]] = [frozenset()] * len(tokens)
    catalog = (
        ("product", vocabulary.products),
        ("brand", vocabulary.brands),
        ("category", vocabulary.categories),
        ("attribute", vocabulary.attribute_values),
    )

    def known(key: str) -> bool:
        return key in facts.names or any(key in names for _, names in catalog)

    # The longest name wins, the evidence's or the catalog's: "cycling" is a value of the
    # evidence, "Echelon Cycling Jersey" another product.
    hits = []
    for start, end in _runs(text, tokens):
        for i, j, key in _longest(tokens, start, end, known):
            if key in facts.names:
                roles[i:j] = [facts.names[key]] * (j - i)
            else:
                hits.append((i, j, next(kind for kind, names in catalog if key in names)))
    hits = _mask_partial_names(text, tokens, roles, hits, facts)
    kept = []
    for i, j, kind in hits:
        stems = {_stem(token) for token, _, _ in tokens[i:j]}
        if j - i == 1 and stems <= NEUTRAL:
            continue
        if kind != "brand" and stems <= facts.words:
            roles[i:j] = [VALUE] * (j - i)  # generic words the evidence uses
        else:
            kept.append((i, j, kind))
    masked, cursor = [], 0
    for (_, start, end), role in zip(tokens, roles, strict=True):
        if role:
            masked += [text[cursor:start], MASK]
            cursor = end
    masked.append(text[cursor:])
    return _Reading(text, chinese, tokens, roles, kept, "".join(masked).lower())


def _runs(text: str, tokens: list[tuple[str, int, int]]) -> list[tuple[int, int]]:
    """Stretches of tokens a name may span: no phrase-ending punctuation, no Chinese between."""
    runs, start = [], 0
    for i in range(1, len(tokens) + 1):
        if i == len(tokens) or PHRASE_END.search(text[tokens[i - 1][2] : tokens[i][1]]):
            runs.append((start, i))
            start = i
    return runs


def _longest(
    tokens: list[tuple[str, int, int]], start: int, end: int, known: Callable[[str], bool]
) -> Iterable[tuple[int, int, str]]:
    """Known keys in tokens[start:end], the longest at each place, left to right."""
    i = start
    while i < end:
        for j in range(min(end, i + 12), i, -1):
            key = " ".join(token for token, _, _ in tokens[i:j])
            if known(key):
                yield i, j, key
                i = j
                break
        else:
            i += 1


def _mask_partial_names(
    text: str,
    tokens: list[tuple[str, int, int]],
    roles: list[frozenset[str]],
    hits: list[tuple[int, int, str]],
    facts: _Facts,
) -> list[tuple[int, int, str]]:
    """Two or more consecutive words of one evidence name, two of them not phrasing words, are
    that name: "Summit Backpack" or "Northpeak 背包" for "Northpeak Summit 40L Backpack".
    Returns the catalog hits that remain: a hit inside such a span was a word of the name; a
    span inside a longer hit is part of another product's name."""
    starts = {start: k for k, (_, start, _) in enumerate(tokens)}
    for role, words in facts.name_words:
        stems = {_stem(word) for word in words}
        chinese = {
            starts[p]
            for term, gloss in ZH_CATEGORY_TERMS.items()
            if stems & {_stem(w) for w in gloss.split()}
            for match in re.finditer(term, text)
            for p in range(match.start(), match.end())
            if p in starts
        }
        i = 0
        while i < len(tokens):
            j = i
            while (
                j < len(tokens)
                and roles[j] <= VALUE
                and (_stem(tokens[j][0]) in stems or j in chinese)
            ):
                j += 1
            overlapping = [hit for hit in hits if hit[0] < j and hit[1] > i]
            inside = all(i <= start and end <= j for start, end, _ in overlapping)
            if inside and sum(_stem(t) not in NEUTRAL for t, _, _ in tokens[i:j]) >= 2:
                roles[i:j] = [frozenset({role})] * (j - i)
                hits = [hit for hit in hits if hit not in overlapping]
            i = max(j, i + 1)
    return hits


def _check_language(r: _Reading) -> Verdict | None:
    free = r.free()
    cjk = sum(1 for t in free if CJK.match(t))
    if not r.chinese:
        return Verdict(False, "language", "Chinese in an English reason") if cjk else None
    latin = sum(1 for t in free if not CJK.match(t) and not _numeric(t))
    if latin and cjk < 0.6 * (cjk + latin):
        return Verdict(False, "language", f"{cjk} Chinese characters, {latin} other words")
    return None


def _numeric(token: str) -> bool:
    return any(c.isdigit() for c in token) or token in UNITS


def _check_length(r: _Reading, *, max_words: int, max_chars: int) -> Verdict | None:
    if r.chinese:
        size = len(re.sub(rf"\s|{MASK}", "", r.masked))
        if not 2 <= size <= max_chars:
            return Verdict(False, "length", f"{size} characters besides names")
        return None
    size = len(r.text.split())
    if not 2 <= size <= max_words:
        return Verdict(False, "length", f"{size} words")
    return None


def _check_claims(r: _Reading, evidence: Evidence) -> Verdict | None:
    if match := ENDORSEMENT.search(r.masked):
        return Verdict(False, "claim", f"unsupported endorsement {match.group()!r}")
    rating = evidence.product.rating
    if (match := RATING.search(r.masked)) and rating is None:
        return Verdict(False, "claim", f"{match.group()!r} without a rating")
    if (match := HIGH_RATING.search(r.masked)) and (rating is None or rating < 4.5):
        return Verdict(False, "claim", f"{match.group()!r} with a rating of {rating}")
    return None


def _claimed_actions(text: str) -> list[tuple[str, frozenset[str] | None]]:
    """(action, when buckets or None) for each claim of what the shopper did."""
    found: list[tuple[str, frozenset[str] | None]] = []
    for match in EN_YOU.finditer(text):
        verb = match["verb"]
        found.append((next(a for a, vs in EN_ACTIONS.items() if re.fullmatch(vs, verb)), None))
    for pattern in (EN_YOUR, ZH_YOUR):
        for match in pattern.finditer(text):
            action = next(k for k, v in match.groupdict().items() if v)
            found.append((action.rstrip("2"), None))
    for match in ZH_YOU.finditer(text):
        found.append((ZH_VERBS[match["verb"]], _when_buckets(match["when"] or "") or None))
    return found


def _when_buckets(text: str) -> frozenset[str]:
    return frozenset().union(*(buckets for pattern, buckets in WHEN if pattern.search(text)))


def _check_history(r: _Reading, evidence: Evidence) -> Verdict | None:
    text = PAGE.sub(" ", r.masked)
    if text != r.masked and not evidence.page_product:
        return Verdict(False, "history", "speaks of a product on the page; there is none")
    counted = evidence.shoppers is not None or evidence.trend is not None
    if (match := POPULAR.search(text)) and not counted:
        return Verdict(False, "history", f"{match.group()!r} without a count of shoppers")
    if (match := TRENDING.search(text)) and not (evidence.trend and evidence.trend > 1):
        return Verdict(False, "history", f"{match.group()!r} without a trend")
    # Shoppers like this one bought it: a neighbour's evidence is a count and the history.
    neighbours = evidence.shoppers and any(link.action == "bought" for link in evidence.history)
    for pattern, relations in TOGETHER:
        match = pattern.search(text)
        supported = any(item.relation in relations for item in evidence.together)
        if match and not supported and not (len(relations) > 1 and neighbours):
            return Verdict(False, "history", f"{match.group()!r} without such shoppers")
    actions = _claimed_actions(text)
    for action, when in actions:
        done = any(
            link.action == action and link.when in (when or ALL_WHEN) for link in evidence.history
        )
        if not done and not (action == "searched" and evidence.constraints):
            return Verdict(False, "history", f"the shopper has not {action} such a product")
    said = _when_buckets(text)
    kinds = {action for action, _ in actions}
    fits = {
        f"history:{i}"
        for i, link in enumerate(evidence.history)
        if link.when in (said or ALL_WHEN) and (not kinds or link.action in kinds)
    }
    window = counted and said & {"today", "this_week", "this_month"}
    if said and not fits and not window:
        return Verdict(
            False, "history", f"the shopper did nothing then ({', '.join(sorted(said))})"
        )
    # The shopper did it, and names a product: one of those they did it with.
    named = r.named() - {"product"}
    if kinds - {"searched"} and named and not fits & named:
        return Verdict(False, "history", f"names a product the shopper has not {'/'.join(kinds)}")
    return None


def _check_names(r: _Reading, evidence: Evidence) -> Verdict | None:
    if match := SAME_BRAND.search(r.masked):
        brand = name_key(evidence.product.brand or "")
        shared = [
            *evidence.shared_with_page,
            *(v for link in evidence.history for v in link.shared),
        ]
        if not brand or brand not in map(name_key, shared):
            return Verdict(False, "brand", f"{match.group()!r}, but no brand is shared")
    if not r.hits:
        return None
    i, j, kind = r.hits[0]
    name = r.text[r.tokens[i][1] : r.tokens[j - 1][2]]
    if kind == "product" and _claimed_actions(r.masked):
        return Verdict(False, "history", f"the shopper has no {name!r}")
    return Verdict(False, kind, f"{name!r} is not in the evidence")


def _number_claims(text: str) -> Iterable[tuple[str, Decimal, str, str]]:
    """(as written, value, currency, unit) for each number in `text`, spelled ones too; the unit
    is the word after it, stemmed ("2 person" → "person"), or "%"."""
    for match in AMOUNT.finditer(text):
        if (value := _decimal(match["num"])) is not None:
            currency = (match["pre"] or match["post"] or "").lower()
            unit = "%" if match["pct"] else _unit_after(text, match.end())
            yield match.group().strip(), value, currency, unit
    for match in SPELLED.finditer(text):
        word = match.group().lower()
        unit = "x" if word in ("twice", "double", "triple") else _unit_after(text, match.end())
        yield word, Decimal(NUMBER_WORDS[word]), "", unit
    for match in ZH_NUMBER.finditer(text):
        yield match.group(), Decimal(_zh_number(match.group())), "", _unit_after(text, match.end())


def _unit_after(text: str, position: int) -> str:
    match = UNIT_AFTER.match(text, position)
    return _stem(match[1].lower()) if match else ""


def _zh_number(text: str) -> int:
    tens, ten, ones = text.partition("十")
    if not ten:
        return ZH_DIGITS[text]
    return ZH_DIGITS.get(tens, 1) * 10 + ZH_DIGITS.get(ones, 1 if ones == "一" else 0)


def _check_numbers(r: _Reading, facts: _Facts, evidence: Evidence) -> Verdict | None:
    """A price is the price or a limit; "3 times" the trend; "12 shoppers" a count; "2 person"
    a number the evidence gives that unit; any other number one the evidence holds."""
    currency = (evidence.product.currency or "").upper()
    for written, value, money, unit in _number_claims(r.masked):
        code = CURRENCIES.get(money)
        if code and currency and code != currency:
            return Verdict(False, "number", f"{written!r} is not in {currency}")
        if money:
            allowed = facts.money
        elif unit in TREND_UNITS and facts.trend:
            allowed = facts.trend
        elif unit in COUNT_UNITS and facts.counts:
            allowed = facts.counts
        elif unit in TIME_UNITS:
            allowed = facts.units.get(unit, frozenset())
        else:
            allowed = facts.units.get(unit, facts.numbers)
        if value not in allowed:
            return Verdict(False, "number", f"{written!r} is not in the evidence")
    return None


def _check_words(r: _Reading, facts: _Facts) -> Verdict | None:
    free = [t for t in r.free() if not _numeric(t) and t not in NUMBER_WORDS]
    if r.chinese:
        text = r.masked
        for term, kind, gloss in ZH_TERMS:
            if term in text:
                if term not in facts.text and not {_stem(w) for w in gloss.split()} & facts.words:
                    return Verdict(False, kind, f"{term!r} is not in the evidence")
                text = text.replace(term, MASK)
        unknown = [t for t in free if not CJK.match(t) and _stem(t) not in facts.words]
        if unknown:
            return Verdict(False, "product", f"unknown name {unknown[0]!r}")
        for pattern in ZH_HANDLED:
            text = pattern.sub(MASK, text)
        if words := re.findall(rf"[^{ZH_NEUTRAL}\W\da-z{MASK}]+", text):
            return Verdict(False, "attribute", f"unsupported words {words[0]!r}")
        return None
    unsupported = [
        t for t in free if t not in NEUTRAL_FORMS and not {_stem(t)} & (NEUTRAL | facts.words)
    ]
    if not unsupported:
        return None
    if len(unsupported) >= 3 and len(unsupported) > len(free) / 2:
        return Verdict(False, "language", f"mostly words that are not English: {unsupported[:3]}")
    return Verdict(False, "attribute", f"{unsupported[0]!r} is not in the evidence")
