"""Writes reasons_labelled.json: reasons labelled true or false, for the verifier's accuracy.

Run from the repository root: `python tests/engine/data/reasons_labelled_build.py`. Seeded, so
the same code writes the same file. The evidence comes from a small outdoor-store catalog like
the demo shop's (its brands, categories and kinds of products), stored in the file so that the
accuracy needs no database. A third of the items are true paraphrases, written by hand in several
phrasings for every signal; two thirds carry exactly one planted falsehood of the kinds a small
model makes: a price off by a little, another real brand, an invented attribute, a product the
shopper never had, the other language, another product of the catalog.
"""

from __future__ import annotations

import json
import re
import string
from decimal import Decimal
from pathlib import Path
from random import Random

OUT = Path(__file__).with_name("reasons_labelled.json")
SIGNALS = (
    "similar", "bought_together", "neighbours", "content", "factors", "sequential",
    "popular", "trending", "search", "recently_viewed",
)  # fmt: skip
FALSEHOODS = ("price", "brand", "attribute", "history", "language", "product")
TRUE_PER_SIGNAL = 12
FALSE_PER_TYPE = 40

BRANDS = (
    "Northpeak", "Altura Mountain", "Ridgeway Outfitters", "Wildtrail", "Campfire & Co",
    "Trailside Basics", "Summit Stride", "Vaporline", "Pacewell", "Trailhound", "Stride Basics",
    "Kilometre", "Col du Nord", "Breakaway Supply", "Velomax", "Cadence Works", "Spoke & Chain",
    "Urbancycle", "Ironside Athletic", "Kinetica", "Ironwell", "Flowstate", "CoreBasics", "RepMax",
)  # fmt: skip
DEPARTMENTS = {
    "Outdoor": ("Tents", "Sleeping bags", "Backpacks", "Camp kitchen", "Headlamps & lanterns"),
    "Running": ("Trail running shoes", "Road running shoes", "Running apparel", "Hydration",
                "Sports nutrition"),
    "Cycling": ("Helmets", "Bike lights", "Cycling apparel", "Tools & maintenance",
                "Bike computers"),
    "Fitness": ("Strength training", "Yoga", "Recovery", "Cardio machines"),
}  # fmt: skip


def product(name, brand, category, price, noun, noun_zh, **attributes):
    return {
        "name": name,
        "brand": brand,
        "category": category,
        "price": price,
        "noun": noun,
        "noun_zh": noun_zh,
        "attributes": attributes,
    }


# name, brand, category, price, noun (a word of the name), Chinese noun, attributes
CATALOG = [
    product("Northpeak Summit 40L Backpack", "Northpeak", "Outdoor > Backpacks", "189.00",
            "backpack", "背包", material="recycled nylon", colour="forest green", volume_l="40",
            use="multi-day treks", style="technical", brand_tier="premium"),
    product("Altura Mountain Ridgeline 55L Trekking Backpack", "Altura Mountain",
            "Outdoor > Backpacks", "279.00", "backpack", "背包", material="waxed canvas",
            colour="navy", volume_l="55", use="hut-to-hut tours", style="classic"),
    product("Wildtrail Horizon 22L Hiking Daypack", "Wildtrail", "Outdoor > Backpacks", "69.99",
            "daypack", "背包", material="ripstop polyester", colour="burnt orange",
            volume_l="22", use="day hikes", style="urban outdoor"),
    product("Wildtrail Basecamp 2 Tent", "Wildtrail", "Outdoor > Tents", "249.99", "tent", "帐篷",
            material="15D ripstop nylon", capacity="2 person", season="3-season", colour="sand",
            use="wild camping", style="lightweight"),
    product("Trailhead Pop-Up Tent", "Trailside Basics", "Outdoor > Tents", "59.99", "tent",
            "帐篷", material="silicone-coated polyester", capacity="2 person", season="summer",
            colour="olive", use="festival weekends", style="classic"),
    product("Northpeak Alpenglow 4-Season Tent", "Northpeak", "Outdoor > Tents", "649.00", "tent",
            "帐篷", material="Dyneema fabric", capacity="2 person", season="4-season",
            colour="burnt orange", use="alpine expeditions", style="technical"),
    product("Altura Mountain Cairn Mummy Sleeping Bag", "Altura Mountain",
            "Outdoor > Sleeping bags", "329.00", "sleeping bag", "睡袋",
            material="800-fill RDS down", comfort_temp_c="-5", colour="slate grey",
            use="winter camping", audience="women"),
    product("Ridgeway Tarn Inflatable Sleeping Pad", "Ridgeway Outfitters",
            "Outdoor > Sleeping bags", "79.99", "sleeping pad", "睡垫", material="20D nylon",
            r_value="4.2", use="thru-hiking", colour="olive"),
    product("Campfire & Co Tarn Camping Stove", "Campfire & Co", "Outdoor > Camp kitchen",
            "34.99", "stove", "炉具", material="stainless steel", fuel="gas canister",
            colour="black", use="car camping"),
    product("Northpeak Fjord Titanium Cookset", "Northpeak", "Outdoor > Camp kitchen", "89.00",
            "cookset", "套锅", material="titanium", pieces="4", use="backcountry cooking"),
    product("Wildtrail Horizon Insulated Camp Mug", "Wildtrail", "Outdoor > Camp kitchen",
            "24.99", "mug", "马克杯", material="double-wall stainless steel", volume_ml="450",
            colour="navy"),
    product("Ridgeway Timberline Headlamp", "Ridgeway Outfitters",
            "Outdoor > Headlamps & lanterns", "44.99", "headlamp", "头灯", lumens="450",
            battery="rechargeable", use="night hikes", colour="black"),
    product("Cairn Camping Lantern", "Trailside Basics", "Outdoor > Headlamps & lanterns",
            "29.99", "lantern", "营地灯", lumens="300", use="campsite evenings", colour="sand"),
    product("Trailhound Mudlark Trail Running Shoe", "Trailhound",
            "Running > Trail running shoes", "139.99", "shoe", "越野跑鞋",
            material="Gore-Tex membrane", drop_mm="6", lug_mm="5", waterproof="yes",
            colour="volt yellow", audience="men"),
    product("Summit Stride Skyrunner Ultra Trail Shoe", "Summit Stride",
            "Running > Trail running shoes", "199.99", "shoe", "跑鞋",
            material="engineered mesh", drop_mm="4", waterproof="no", colour="coral",
            audience="women", style="lightweight"),
    product("Pacewell Tempo Road Running Shoe", "Pacewell", "Running > Road running shoes",
            "119.00", "shoe", "跑鞋", cushioning="balanced", drop_mm="8", colour="deep blue",
            material="knit upper"),
    product("Vaporline Velocity Carbon Racing Shoe", "Vaporline", "Running > Road running shoes",
            "259.99", "shoe", "跑鞋", material="PEBA foam", drop_mm="8", use="race day",
            colour="white"),
    product("Kilometre Zephyr Running Jacket", "Kilometre", "Running > Running apparel", "59.99",
            "jacket", "夹克", material="recycled ripstop", waterproof="no", colour="coral"),
    product("Pacewell Apex Running Jacket", "Pacewell", "Running > Running apparel", "129.00",
            "jacket", "夹克", material="Pertex Shield", waterproof="yes", colour="black"),
    product("Stride Basics Kinetic Running Tights", "Stride Basics", "Running > Running apparel",
            "34.99", "tights", "紧身裤", material="nylon-elastane", length="full",
            colour="black"),
    product("Trailhound Fellrunner Merino T-Shirt", "Trailhound", "Running > Running apparel",
            "49.99", "t-shirt", "T恤", material="merino wool blend", fit="slim",
            colour="forest green"),
    product("Trailhound Skyrunner 8L Hydration Vest", "Trailhound", "Running > Hydration",
            "119.99", "vest", "背心", volume_l="8", material="stretch mesh",
            use="ultra marathons"),
    product("Pacewell Soft Flask 500 ml", "Pacewell", "Running > Hydration", "19.99", "flask",
            "水壶", material="TPU", volume_ml="500"),
    product("Kilometre Energy Gel 12-Pack", "Kilometre", "Running > Sports nutrition", "21.99",
            "gel pack", "能量胶", flavour="salted caramel", use="marathon fuelling"),
    product("Col du Nord Criterium Road Helmet", "Col du Nord", "Cycling > Helmets", "189.00",
            "helmet", "头盔", weight_g="240", safety="MIPS protection", colour="white"),
    product("Urbancycle Commuter Helmet", "Urbancycle", "Cycling > Helmets", "54.99", "helmet",
            "头盔", size="M", use="city commuting", colour="cobalt blue"),
    product("Velomax Audax 800 Front Bike Light", "Velomax", "Cycling > Bike lights", "49.99",
            "light", "车灯", lumens="800", charging="USB-C charging", use="night rides"),
    product("Cadence Works Randonneur Bike Light Set", "Cadence Works", "Cycling > Bike lights",
            "64.99", "light set", "车灯", lumens="400", use="winter commuting"),
    product("Breakaway Supply Echelon Cycling Jersey", "Breakaway Supply",
            "Cycling > Cycling apparel", "119.00", "jersey", "骑行服", material="merino blend",
            fit="race", colour="red"),
    product("Spoke & Chain Domestique Bib Shorts", "Spoke & Chain", "Cycling > Cycling apparel",
            "69.99", "bib shorts", "骑行裤", material="Lycra", pad="endurance", colour="black"),
    product("Velomax Gravelord Cycling Rain Jacket", "Velomax", "Cycling > Cycling apparel",
            "149.99", "jacket", "夹克", material="3-layer waterproof membrane", waterproof="yes",
            colour="olive"),
    product("Spoke & Chain Bike Multi-Tool", "Spoke & Chain", "Cycling > Tools & maintenance",
            "24.99", "tool", "工具", functions="14", material="forged steel"),
    product("Cadence Works Floor Pump", "Cadence Works", "Cycling > Tools & maintenance",
            "44.99", "pump", "打气筒", pressure_bar="16", material="steel barrel"),
    product("Ironwell Anvil Adjustable Dumbbell Set", "Ironwell", "Fitness > Strength training",
            "299.00", "dumbbell set", "哑铃", max_weight_kg="24", material="steel plates"),
    product("RepMax Titan 16 kg Kettlebell", "RepMax", "Fitness > Strength training", "49.99",
            "kettlebell", "壶铃", material="cast iron", weight_kg="16"),
    product("Flowstate Balance Cork Yoga Mat", "Flowstate", "Fitness > Yoga", "69.00", "mat",
            "瑜伽垫", material="cork", thickness_mm="4", colour="sage green"),
    product("Kinetica Zenith Yoga Block Set", "Kinetica", "Fitness > Yoga", "24.99", "blocks",
            "瑜伽砖", material="cork", colour="sand"),
    product("CoreBasics Pulse Foam Roller", "CoreBasics", "Fitness > Recovery", "19.99", "roller",
            "泡沫轴", density="firm", material="EVA foam"),
    product("Kinetica Momentum Massage Gun", "Kinetica", "Fitness > Recovery", "229.00",
            "massage gun", "按摩枪", speeds="5", motor="quiet motor", colour="graphite"),
    product("Ironside Athletic Atlas Rowing Machine", "Ironside Athletic",
            "Fitness > Cardio machines", "1299.00", "rowing machine", "划船机",
            resistance="water", material="ash wood"),
    product("Ironwell Core Exercise Bike", "Ironwell", "Fitness > Cardio machines", "649.00",
            "exercise bike", "健身车", resistance="magnetic", colour="black"),
]  # fmt: skip

WHEN_EN = {
    "today": ("today", "earlier today"),
    "yesterday": ("yesterday",),
    "this_week": ("this week", "earlier this week"),
    "last_week": ("last week",),
    "this_month": ("this month", "earlier this month"),
    "earlier": ("a while ago", "some time ago"),
}
WHEN_ZH = {
    "today": ("今天",),
    "yesterday": ("昨天",),
    "this_week": ("本周", "这周"),
    "last_week": ("上周", "上个星期"),
    "this_month": ("本月", "这个月"),
    "earlier": ("之前", "一段时间前"),
}
VALUE_ZH = {
    "black": "黑色", "white": "白色", "navy": "海军蓝", "olive": "橄榄绿", "sand": "沙色",
    "forest green": "森林绿", "titanium": "钛", "cork": "软木", "red": "红色",
    "merino wool blend": "美利奴羊毛", "stainless steel": "不锈钢", "recycled nylon": "再生尼龙",
    "cast iron": "铸铁", "waxed canvas": "打蜡帆布",
}  # fmt: skip
WORD_ZH = {"waterproof": "防水", "lightweight": "轻便", "merino": "美利奴", "cork": "软木"}
# Invented attributes, and the words of the evidence that would make them true.
INVENTED_EN = (
    ("lightweight", "lightweight ultralight light"), ("waterproof", "waterproof"),
    ("premium", "premium"), ("high-end", "premium"), ("luxury", "luxury"),
    ("award-winning", "award"), ("eco-friendly", "recycled eco"), ("handmade", "handmade"),
    ("durable", "durable"), ("breathable", "breathable mesh"), ("insulated", "insulated down"),
    ("ultralight", "ultralight"), ("brand-new", "new"), ("heated", "heated"),
    ("merino wool", "merino wool"), ("titanium", "titanium"), ("Gore-Tex", "gore"),
    ("sand", "sand"), ("navy", "navy"), ("carbon", "carbon"), ("foldable", "folding"),
)  # fmt: skip
INVENTED_ZH = (
    ("轻便", "lightweight ultralight light"), ("防水", "waterproof"), ("高端", "premium"),
    ("奢华", "luxury"), ("环保", "recycled eco"), ("手工", "handmade"), ("耐用", "durable"),
    ("透气", "breathable mesh"), ("保暖", "warm insulated down winter"), ("新款", "new"),
    ("超轻", "ultralight"), ("专业级", "technical pro race"), ("黑色", "black"),
    ("钛", "titanium"), ("羽绒", "down"), ("静音", "quiet"), ("可折叠", "folding"),
)  # fmt: skip

# Templates: {name} {short} {noun} {noun_zh} {brand} {price} {page} {page_short} {shared}
# {other} {other_short} {n} {hist} {hist_short} {when} {limit} {word} {Word} {word_zh}
# {cbrand} {attr} {attr_zh} {t} {pct} {rating} {x} (a product the evidence lacks).
TEMPLATES = {
    ("similar", "en"): [
        "Like the {page} you're looking at, also {shared}",
        "A close alternative to the {page_short}, also {shared}",
        "Similar to the {page} on this page, at {price}",
        "Shares {shared} with the {page_short} you're viewing",
        "If you like the {page_short}, this {noun} is {shared} too",
        "Another {shared} option like the {page_short}",
        "An alternative to the {page_short} for {price}",
        "A {brand} alternative to the {page_short} you're viewing",
        "A {attr} {noun} like the {page_short} you're viewing",
    ],
    ("similar", "zh"): [
        "和你正在看的 {page} 一样是 {shared}",
        "与 {page_short} 类似，同为 {shared}",
        "和当前页面的 {page_short} 相似，售价 {price}",
        "{page_short} 的替代之选，同样是 {shared}",
        "{brand} 出品，与 {page_short} 类似",
        "{attr_zh}的{noun_zh}，与你正在看的 {page_short} 类似",
    ],
    ("bought_together", "en"): [
        "Often bought together with the {other}",
        "{n} shoppers bought this with the {other_short}",
        "Frequently bought with the {other_short}: {n} shoppers did",
        "Goes with the {other}; {n} people bought both",
        "Completes the {other_short}, bought together by {n} shoppers",
        "Often bought with the {other_short}, and just {price}",
        "This {brand} {noun} is often bought with the {other_short}",
        "A {attr} {noun}, often bought with the {other_short}",
    ],
    ("bought_together", "zh"): [
        "经常与 {other} 一起购买",
        "{n} 位顾客把它和 {other_short} 一起购买",
        "与 {other_short} 一起下单的顾客有 {n} 位",
        "常和 {other} 同时购买，售价 {price}",
        "{brand} 的这款{noun_zh}常与 {other_short} 一起购买",
        "{attr_zh}，常与 {other_short} 一起购买",
    ],
    ("neighbours", "en"): [
        "{n} shoppers who bought the {hist_short} also bought this",
        "People who bought the {hist} like you also bought this",
        "Shoppers with the {hist_short} you bought {when} went for this too",
        "Pairs with the {hist} you bought {when}",
        "Bought by {n} shoppers who also have the {hist_short}, at {price}",
        "A {attr} pick that pairs with the {hist_short} you bought {when}",
    ],
    ("neighbours", "zh"): [
        "购买过 {hist_short} 的顾客也买了这款",
        "{n} 位买过 {hist_short} 的顾客也选择了它",
        "与你{when}购买的 {hist} 搭配",
        "与你{when}购买的 {hist_short} 搭配，售价 {price}",
        "{attr_zh}，与你{when}买的 {hist_short} 很搭",
    ],
    ("content", "en"): [
        "Same {shared} as the {hist_short} you viewed {when}",
        "You viewed the {hist} {when}; this one is also {shared}",
        "In {shared}, like the {hist_short} you looked at {when}",
        "Matches the {hist_short} you viewed {when}: both {shared}",
        "Like the {hist_short} you viewed {when}, for {price}",
        "A {brand} {noun} like the {hist_short} you viewed {when}",
        "A {attr} {noun}, like the {hist_short} you viewed {when}",
    ],
    ("content", "zh"): [
        "和你{when}浏览过的 {hist} 一样是 {shared}",
        "你{when}看过 {hist_short}，这款同样是 {shared}",
        "与你{when}查看的 {hist_short} 同为 {shared}",
        "与你{when}看过的 {hist_short} 相似，售价 {price}",
        "{brand} 出品，和你{when}浏览过的 {hist_short} 相似",
        "{attr_zh}，和你{when}看过的 {hist_short} 相似",
    ],
    ("factors", "en"): [
        "Goes well with the {hist} you {verb} {when}",
        "Picked for you after the {hist_short} you {verb} {when}",
        "A good match for the {hist_short} you {verb} {when}",
        "Pairs with the {hist_short} you {verb} {when}, for {price}",
        "A {brand} {noun} to go with the {hist_short} you {verb} {when}",
        "A {attr} {noun} for the {hist_short} you {verb} {when}",
    ],
    ("factors", "zh"): [
        "与你{when}{verb_zh}的 {hist} 很搭",
        "适合搭配你{when}{verb_zh}的 {hist_short}",
        "与你{when}{verb_zh}的 {hist_short} 搭配，售价 {price}",
        "{brand} 的{noun_zh}，搭配你{when}{verb_zh}的 {hist_short}",
        "{attr_zh}，适合搭配你{when}{verb_zh}的 {hist_short}",
    ],
    ("sequential", "en"): [
        "Often bought next by people who bought your {hist_short}",
        "{n} shoppers bought this after the {hist_short}",
        "A common next step after the {hist} you bought {when}",
        "People who bought the {hist_short} often buy this next",
        "Bought next by {n} shoppers after the {hist_short}, at {price}",
        "A {attr} {noun}, often bought next after the {hist_short}",
    ],
    ("sequential", "zh"): [
        "购买 {hist_short} 的顾客之后常买这款",
        "{n} 位顾客在买了 {hist_short} 之后又买了它",
        "买过 {hist} 的人接着常买这款",
        "你{when}买了 {hist_short}，{n} 位顾客之后也买了它",
        "{attr_zh}，买过 {hist_short} 的顾客之后常买",
    ],
    ("popular", "en"): [
        "Bought by {n} shoppers this month",
        "Popular right now: {n} shoppers chose it",
        "A popular pick with {n} shoppers",
        "One of the most popular {noun}s this week",
        "Rated {rating} out of 5 and bought by {n} shoppers",
        "Popular at {price}: {n} shoppers bought it",
        "A popular {brand} {noun} with {n} shoppers",
        "A popular {attr} {noun}: {n} shoppers chose it",
    ],
    ("popular", "zh"): [
        "本月有 {n} 位顾客购买",
        "很受欢迎：{n} 位顾客选择了它",
        "热门之选，{n} 位顾客已购买",
        "评分 {rating}，{n} 位顾客购买",
        "热门{noun_zh}，售价 {price}",
        "{brand} 的热门{noun_zh}，{n} 位顾客已购买",
        "{attr_zh}的热门{noun_zh}，{n} 位顾客已购买",
    ],
    ("trending", "en"): [
        "Trending: bought {t}× more than usual",
        "Selling {t} times faster than usual",
        "Trending this week with {n} shoppers",
        "Bought {pct}% more often than usual right now",
        "Trending at {price}: {n} shoppers this week",
        "This {brand} {noun} is trending, {t}× its usual rate",
        "A {attr} {noun}, trending with {n} shoppers",
    ],
    ("trending", "zh"): [
        "最近很火，销量是平时的 {t} 倍",
        "正在流行，购买量比平时高 {pct}%",
        "本周热度上升：{n} 位顾客购买",
        "趋势上升，售价 {price}",
        "{brand} 的{noun_zh}最近很火",
        "{attr_zh}，最近很火，{n} 位顾客购买",
    ],
    ("search", "en"): [
        "{Word} and {price}, under your {limit} limit",
        "A {word} {noun} for {price}, within your {limit} limit",
        "Matches your search: {word}, {price}",
        "{cbrand}, as you asked, and {price}",
        "{stock} and under your {limit} budget",
        "{price}: under your {limit} limit",
        "A {attr} {noun} at {price}, under your {limit} limit",
    ],
    ("search", "zh"): [
        "{word_zh}，售价 {price}，低于你 {limit} 的上限",
        "符合你的要求：{cbrand}，售价 {price}",
        "{stock}，且在你 {limit} 的预算以内",
        "售价 {price}，不超过你的 {limit} 预算",
        "{attr_zh}，售价 {price}，低于你 {limit} 的上限",
    ],
    ("recently_viewed", "en"): [
        "You viewed this {when}",
        "Back for another look? You viewed it {when}",
        "You looked at the {short} {when}",
        "You checked out this {noun} {when}",
        "You viewed this {noun} {when}; it's {price}",
        "The {brand} {noun} you viewed {when}",
        "The {attr} {noun} you viewed {when}",
    ],
    ("recently_viewed", "zh"): [
        "你{when}浏览过这款{noun_zh}",
        "你{when}看过的 {short}，还在考虑吗？",
        "你{when}查看过它，售价 {price}",
        "你{when}浏览过的 {brand} {noun_zh}",
        "你{when}看过的{attr_zh}{noun_zh}",
    ],
}
# A product the evidence lacks, named as the model names the ones it has.
OTHER_PRODUCT = {
    "en": [
        "Goes well with the {x}",
        "Similar to the {x}, at {price}",
        "A good match for the {x}",
        "Like the {x}, and {price}",
    ],
    "zh": ["和 {x} 很搭", "与 {x} 类似，售价 {price}", "适合搭配 {x}"],
}
VERBS = {"bought": ("bought", "购买"), "carted": ("added to your cart", "加入购物车")}
DEPARTMENT_BRANDS = {
    "Outdoor": ("Campfire & Co", "Trailside Basics", "Ridgeway Outfitters", "Wildtrail",
                "Northpeak", "Altura Mountain"),
    "Running": ("Stride Basics", "Kilometre", "Pacewell", "Trailhound", "Summit Stride",
                "Vaporline"),
    "Cycling": ("Spoke & Chain", "Urbancycle", "Velomax", "Cadence Works", "Col du Nord",
                "Breakaway Supply"),
    "Fitness": ("CoreBasics", "RepMax", "Ironwell", "Flowstate", "Ironside Athletic", "Kinetica"),
}  # fmt: skip
# Attributes a reason describes a product by ("a cork mat"), not what it is for.
DESCRIPTIVE = {"colour", "material", "style", "season", "fit", "density", "cushioning", "flavour"}
HISTORY_SIGNALS = ("neighbours", "content", "factors", "sequential", "recently_viewed")
# Filled in by `render`, not taken from the evidence.
COMPUTED = {"when", "verb", "verb_zh", "attr_zh"}


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def short(name: str, brand: str | None) -> str:
    return name[len(brand) + 1 :] if brand and name.startswith(brand + " ") else name


def department(p: dict) -> str:
    return p["category"].split(" > ")[0]


def leaf(p: dict) -> str:
    return p["category"].split(" > ")[1]


def plain(value: str) -> bool:
    """A value a sentence can repeat (not "40" or "-5")."""
    return not value.lstrip("-")[0].isdigit()


class Builder:
    def __init__(self, seed: str) -> None:
        self.rng = Random(seed)

    def pick(self, items):
        return self.rng.choice(sorted(items) if isinstance(items, set) else list(items))

    def others(self, exclude: list[dict], *, same=None) -> list[dict]:
        """Catalog products not in `exclude`; `same` (a function) narrows them to one group."""
        names = {p["name"] for p in exclude}
        return [
            p
            for p in CATALOG
            if p["name"] not in names and (same is None or same(p) == same(exclude[0]))
        ]

    def euros(self, value: Decimal, *, zh: bool) -> str:
        text = f"{value:,.2f}" if value % 1 or self.rng.random() < 0.2 else f"{value:,.0f}"
        if zh and self.rng.random() < 0.4:
            return f"{text} 欧元"
        return f"{text} EUR" if self.rng.random() < 0.2 else f"€{text}"

    def product_facts(self, p: dict, needs: set[str]) -> dict:
        # Now and then the shop has no brand or price: the reason must manage without.
        brand = p["brand"] if "brand" in needs or self.rng.random() > 0.1 else None
        price = p["price"] if needs & {"price", "limit"} or self.rng.random() > 0.1 else None
        rating = round(self.rng.uniform(3.6, 4.9), 1) if self.rng.random() < 0.35 else None
        if "rating" in needs and rating is None:
            rating = round(self.rng.uniform(4.0, 4.9), 1)
        return {
            "id": CATALOG.index(p) + 1,
            "name": p["name"],
            "brand": brand,
            "category": p["category"],
            "price": price,
            "currency": "EUR" if price else None,
            "in_stock": "stock" in needs or self.rng.random() > 0.1,
            "rating": rating,
            "attributes": dict(p["attributes"]),
        }

    def evidence(self, signal: str, p: dict, needs: set[str]) -> tuple[dict, dict]:
        """Evidence for `p` ranked by `signal`, and the words that templates fill in."""
        rng = self.rng
        facts = self.product_facts(p, needs)
        ev: dict = {"product": facts, "signal": signal}
        words = {
            "name": p["name"],
            "short": short(p["name"], p["brand"]),
            "noun": p["noun"],
            "noun_zh": p["noun_zh"],
            "brand": facts["brand"],
            "price": facts["price"] and Decimal(facts["price"]),
            "rating": facts["rating"],
            "attr": self.pick(
                [v for k, v in p["attributes"].items() if k in DESCRIPTIVE and plain(v)]
                or [p["noun"]]
            ),
        }
        partner = self.pick(self.others([p], same=department))
        if signal == "similar":
            near = self.others([p], same=leaf) or self.others([p], same=department)
            alike = [
                q for q in near if set(p["attributes"].values()) & set(q["attributes"].values())
            ]
            page = self.pick(alike or near)
            shared = self.shared(p, page)
            ev |= {"page_product": page["name"], "shared_with_page": shared}
            words |= {"page": page["name"], "page_short": short(page["name"], page["brand"])}
            words["shared"] = self.pick(shared)
        if signal in ("bought_together", "sequential", "neighbours", "factors"):
            n = rng.randint(4, 90)
            relation = {"bought_together": "bought_together", "sequential": "bought_next"}
            if signal in relation:
                ev["together"] = [
                    {"name": partner["name"], "relation": relation[signal], "shoppers": n}
                ]
            if signal == "neighbours":
                ev["shoppers"] = n
            words |= {"other": partner["name"], "n": n}
            words["other_short"] = short(partner["name"], partner["brand"])
        if signal in HISTORY_SIGNALS:
            self.add_history(signal, p, partner, ev, words)
        if signal in ("popular", "trending"):
            ev["shoppers"] = words["n"] = rng.randint(25, 400)
            if signal == "trending":
                trend = self.pick([1.5, 1.8, 2.0, 2.4, 2.5, 3.0, 3.2])
                ev["trend"] = trend
                words |= {"t": f"{trend:g}", "pct": round((trend - 1) * 100)}
        if signal == "search":
            self.add_constraints(p, facts, needs, ev, words)
        return ev, {k: v for k, v in words.items() if v is not None}

    def shared(self, p: dict, q: dict) -> list[str]:
        """What two products have in common: brand and values, else their category."""
        values = [v for v in p["attributes"].values() if v in q["attributes"].values()]
        brand = [p["brand"]] if p["brand"] == q["brand"] else []
        group = leaf(p) if leaf(p) == leaf(q) else department(p)
        return brand + [v for v in values if plain(v)] or [group.lower()]

    def add_history(self, signal: str, p: dict, partner: dict, ev: dict, words: dict) -> None:
        action = {"content": "viewed", "recently_viewed": "viewed"}.get(signal, "bought")
        if signal == "factors":
            action = self.pick(["bought", "bought", "carted"])
        seen = {"recently_viewed": p}.get(signal, partner)
        if signal == "content":
            seen = self.pick(self.others([p], same=leaf) or self.others([p], same=department))
        when = self.pick(WHEN_EN)
        link = {"name": seen["name"], "action": action, "when": when}
        link["product_id"] = CATALOG.index(seen) + 1
        if signal != "recently_viewed":
            link["shared"] = self.shared(p, seen)
            words["shared"] = self.pick(link["shared"])
        ev["history"] = [link]
        if signal != "recently_viewed" and self.rng.random() < 0.3:
            extra = self.pick(self.others([p, seen]))
            ev["history"].append({"name": extra["name"], "action": "viewed", "when": "earlier"})
        words |= {"hist": seen["name"], "hist_short": short(seen["name"], seen["brand"])}
        words |= {"when_key": when, "action": action}

    def add_constraints(self, p: dict, facts: dict, needs: set[str], ev: dict, words: dict) -> None:
        price = Decimal(p["price"])
        limits = (25, 30, 40, 50, 60, 75, 100, 150, 200, 250, 300, 400, 500, 700, 1000, 1500)
        limit = next(b for b in limits if b > price)
        constraints = [{"kind": "max_price", "value": str(limit), "met": True}]
        if options := self.request_words(p):
            word = self.pick(options)
            constraints.append({"kind": "word", "value": word, "met": True})
            words |= {"word": word, "Word": word.capitalize(), "word_zh": WORD_ZH[word]}
        if "cbrand" in needs or self.rng.random() < 0.3:
            constraints.append({"kind": "brand", "value": p["brand"], "met": True})
            words["cbrand"] = p["brand"]
        if "stock" in needs or (facts["in_stock"] and self.rng.random() < 0.5):
            constraints.append({"kind": "in_stock", "value": "yes", "met": True})
            words["stock"] = "In stock"
        ev["constraints"] = constraints
        words["limit"] = Decimal(limit)

    def request_words(self, p: dict) -> list[str]:
        """Words of a request the product meets."""
        text = json.dumps(p["attributes"]).lower()
        found = [w for w in WORD_ZH if w in text and p["attributes"].get(w) != "no"]
        return found + (["waterproof"] if p["attributes"].get("waterproof") == "yes" else [])

    def render(self, template: str, words: dict, language: str) -> str:
        zh = language == "zh"
        used = fields(template)
        filled = {k: v for k, v in words.items() if k in used}
        for key in {"price", "limit"} & used:
            filled[key] = self.euros(words[key], zh=zh)
        if "when" in used:
            table = WHEN_ZH if zh else WHEN_EN
            filled["when"] = self.pick(table[words.get("when_as", words["when_key"])])
        if used & {"verb", "verb_zh"}:
            filled["verb"], filled["verb_zh"] = VERBS[words.get("action_as", words["action"])]
        if "attr_zh" in used:
            filled["attr_zh"] = words.get("attr_zh") or VALUE_ZH.get(words["attr"], words["attr"])
        if "stock" in used and zh:
            filled["stock"] = "有货"
        return re.sub(r"\b([Aa]) (?=[AEIOUaeiou])", r"\1n ", template.format(**filled))

    def sentence(
        self, signal: str, language: str, *, wanted=lambda template: True
    ) -> tuple[str, dict, dict]:
        """A template of `signal` that `wanted` accepts, the evidence of a product it fits, and
        the words; products and templates are drawn until one fits."""
        templates = [t for t in TEMPLATES[(signal, language)] if wanted(t)]
        while True:
            template = self.pick(templates)
            needs = fields(template) - COMPUTED
            if signal == "factors" and ("verb" in template) is False:
                continue
            ev, words = self.evidence(signal, self.pick(CATALOG), needs)
            if needs <= set(words) and (signal != "factors" or words["action"] in VERBS):
                return template, ev, words


def other_language(language: str) -> str:
    return "en" if language == "zh" else "zh"


def claims_history(template: str) -> bool:
    """The shopper's own history, with a time: the part a model gets wrong."""
    return "{when}" in template and bool(fields(template) & {"hist", "hist_short", "short", "verb"})


# Which templates can carry each falsehood.
CARRIERS = {
    "price": lambda t: bool(fields(t) & {"price", "limit"}),
    "brand": lambda t: bool(fields(t) & {"brand", "cbrand"}),
    "attribute": lambda t: bool(fields(t) & {"attr", "attr_zh"}),
    "history": claims_history,
    "language": lambda t: True,
    "product": lambda t: True,
}


# Where a stranger takes the place of a product the evidence has.
PRODUCT_SLOTS = {"similar": ("page", "page_short"), "bought_together": ("other", "other_short")}


class Planter(Builder):
    """Reasons with one falsehood each."""

    def plant(self, falsehood: str, signal: str, language: str) -> tuple[str, dict]:
        source = other_language(language) if falsehood == "language" else language
        wanted = CARRIERS[falsehood]
        if falsehood == "product" and signal in PRODUCT_SLOTS:
            wanted = lambda t: bool(fields(t) & set(PRODUCT_SLOTS[signal]))  # noqa: E731
        template, ev, words = self.sentence(signal, source, wanted=wanted)
        if falsehood == "product":
            template = self.product(signal, language, ev, words) or template
        elif falsehood != "language":
            getattr(self, falsehood)(template, ev, words, language)
        return self.render(template, words, source), ev

    def evidence_text(self, ev: dict) -> str:
        return json.dumps(ev, ensure_ascii=False).lower()

    def stranger(self, ev: dict) -> dict:
        """A real catalog product that the evidence does not mention, often a close one."""
        text = self.evidence_text(ev)
        p = CATALOG[ev["product"]["id"] - 1]
        near = [q for q in self.others([p], same=department) if q["name"].lower() not in text]
        far = [q for q in CATALOG if q["name"].lower() not in text]
        return self.pick(near if near and self.rng.random() < 0.7 else far)

    def price(self, template: str, ev: dict, words: dict, language: str) -> None:
        used = fields(template)
        limit = "limit" in used and ("price" not in used or self.rng.random() < 0.3)
        key = "limit" if limit else "price"
        right = words[key]
        wrong = [right + d for d in (-10, -5, -1, 1, 5, 10, 20)]
        if right % 1:
            wrong += [Decimal(int(right)), Decimal(int(right) + 1)]
        taken = {words.get("price"), words.get("limit")}
        words[key] = self.pick(w for w in wrong if w > 0 and w not in taken)

    def brand(self, template: str, ev: dict, words: dict, language: str) -> None:
        text = self.evidence_text(ev)
        near = [b for b in DEPARTMENT_BRANDS[department(ev["product"])] if b.lower() not in text]
        far = [b for b in BRANDS if b.lower() not in text]
        choice = self.pick(near if near and self.rng.random() < 0.8 else far)
        words |= {key: choice for key in ("brand", "cbrand") if key in words}

    def attribute(self, template: str, ev: dict, words: dict, language: str) -> None:
        text = self.evidence_text(ev)
        invented = INVENTED_ZH if language == "zh" else INVENTED_EN
        unsupported = [a for a, support in invented if not any(w in text for w in support.split())]
        words["attr_zh" if language == "zh" else "attr"] = self.pick(unsupported)

    def history(self, template: str, ev: dict, words: dict, language: str) -> None:
        used = fields(template)
        modes = ["item", "item", "when"] + (["action"] if "verb" in used else [])
        mode = self.pick(modes) if used & {"hist", "hist_short", "short"} else "when"
        if mode == "item":
            q = self.stranger(ev)
            for key in used & {"hist", "hist_short", "short"}:
                words[key] = q["name"] if key == "hist" else short(q["name"], q["brand"])
        elif mode == "action":
            words["action_as"] = "carted" if words["action"] == "bought" else "bought"
        else:
            held = {link["when"] for link in ev["history"]}
            words["when_as"] = self.pick({"today", "yesterday", "this_week", "last_week"} - held)

    def product(self, signal: str, language: str, ev: dict, words: dict) -> str | None:
        """Names a stranger in the place of the page's or the partner's product, or in a
        sentence of its own; returns that sentence's template."""
        q = self.stranger(ev)
        if signal in PRODUCT_SLOTS:
            full, brief = PRODUCT_SLOTS[signal]
            words |= {full: q["name"], brief: short(q["name"], q["brand"])}
            return None
        words["x"] = q["name"] if self.rng.random() < 0.6 else short(q["name"], q["brand"])
        return self.pick(
            t for t in OTHER_PRODUCT[language] if "{price}" not in t or "price" in words
        )


def carried(falsehood: str) -> list[str]:
    """The signals with templates, in both languages, that can carry `falsehood`."""
    return [
        signal
        for signal in SIGNALS
        if all(any(map(CARRIERS[falsehood], TEMPLATES[(signal, lang)])) for lang in ("en", "zh"))
        and (falsehood != "history" or signal in HISTORY_SIGNALS)
    ]


def items_build(seed: str = "reasons-labelled-1") -> list[dict]:
    planter = Planter(seed)
    items = []
    for signal in SIGNALS:
        for k in range(TRUE_PER_SIGNAL):
            language = ("en", "zh")[k % 2]
            template, ev, words = planter.sentence(signal, language)
            items.append(item(planter.render(template, words, language), language, ev, None))
    for falsehood in FALSEHOODS:
        signals = carried(falsehood)
        for k in range(FALSE_PER_TYPE):
            language = ("en", "zh")[k % 2]
            text, ev = planter.plant(falsehood, signals[k // 2 % len(signals)], language)
            items.append(item(text, language, ev, falsehood))
    return items


def item(text: str, language: str, ev: dict, falsehood: str | None) -> dict:
    return {
        "text": text,
        "language": "zh-hans" if language == "zh" else "en",
        "label": falsehood is None,
        "falsehood": falsehood,
        "evidence": ev,
    }


def catalog() -> dict:
    return {
        "products": [
            {key: p[key] for key in ("name", "brand", "category", "attributes")} for p in CATALOG
        ],
        "brands": list(BRANDS),
        "categories": [*DEPARTMENTS, *(leaf for leaves in DEPARTMENTS.values() for leaf in leaves)],
    }


def main() -> None:
    data = {"catalog": catalog(), "items": items_build()}
    OUT.write_text(json.dumps(data, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"{len(data['items'])} items written to {OUT}")


if __name__ == "__main__":
    main()
