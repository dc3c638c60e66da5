"""Patterns of the claims a reason makes: history, other shoppers, popularity, ratings."""

from __future__ import annotations

import re

ALL_WHEN = frozenset({"today", "yesterday", "this_week", "last_week", "this_month", "earlier"})
RECENT = ALL_WHEN - {"earlier"}

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
STARS = re.compile(r"(\d(?:\.\d)?|five|五)\s*-?\s*颗?(?:stars?\b|星)", re.IGNORECASE)
SAME_BRAND = re.compile(r"\bsame brand\b|同(?:一)?品牌|同牌")
# Phrases an earlier check has held (history, popularity, pairing, time).
ZH_HANDLED = (
    *(PAGE, POPULAR, TRENDING, ZH_YOU, ZH_YOUR, RATING, SAME_BRAND),
    *(pattern for pattern, _ in (*WHEN, *TOGETHER)),
)
