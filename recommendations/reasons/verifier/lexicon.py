"""Words and characters the verifier knows: phrasing, units, number words, Chinese terms."""

import re

CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Punctuation that ends a phrase: a name never runs across it.
PHRASE_END = re.compile(r"[.!?;:。，、！？；：()（）\"“”\u3400-\u9fff\uf900-\ufaff]")


def stem(word: str) -> str:
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
    stem(word)
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
TREND_UNITS = frozenset({"x", "×", "time", "倍", "%"})
# The evidence says when in words ("last week"), never in numbers of days.
TIME_UNITS = frozenset(
    {stem(w) for w in ("days", "weeks", "months", "years", "hours", "minutes")}
    | {"天", "周", "月", "年", "个月", "小时"}
)
COUNT_UNITS = frozenset(
    {stem(w) for w in ("shoppers", "people", "customers", "buyers", "位", "名", "人")}
)


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
