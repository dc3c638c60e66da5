"""Evidence in words: fact lines for the prompt and the admin, template sentences for shoppers.

Every sentence here is built from the evidence alone, so a template reason is true by
construction and passes the verifier; it is what a shopper sees until a generated reason is
ready, and whenever one fails.
"""

from __future__ import annotations

import re
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .evidence import Constraint, Evidence, HistoryLink, ProductFacts, Together

CURRENCY_SYMBOLS = {"EUR": "€", "USD": "$", "GBP": "£"}
# A product's name up to its tail of features ("Summit Tent – 2 Person, Waterproof"): what a
# sentence names.
NAME_TAIL = re.compile(r"\s+[–—|-]\s+")
# Fewer shoppers than this is a fact, but not one a reason leads with.
TOGETHER_SHOWN = 2


def short_name(name: str) -> str:
    return NAME_TAIL.split(name, 1)[0]


def price_in_words(amount: str | None, currency: str | None) -> str | None:
    """ "€89" or "€89.50"; a currency without a symbol follows the number ("89 CHF")."""
    if amount is None:
        return None
    try:
        value = Decimal(str(amount))
    except InvalidOperation:
        return None
    number = f"{value:.0f}" if value == value.to_integral_value() else f"{value:.2f}"
    symbol = CURRENCY_SYMBOLS.get((currency or "").upper())
    if symbol:
        return f"{symbol}{number}"
    return f"{number} {currency}".strip()


def when_in_words(when: str) -> str:
    return {
        "today": _("today"),
        "yesterday": _("yesterday"),
        "this_week": _("this week"),
        "last_week": _("last week"),
        "this_month": _("this month"),
        "earlier": _("a while ago"),
    }[when]


def history_in_words(link: HistoryLink) -> str:
    """The shopper's own action, as a fact line and as the end of a reason."""
    values = {"name": short_name(link.name), "when": when_in_words(link.when)}
    return {
        "bought": _("you bought the %(name)s %(when)s"),
        "carted": _("you added the %(name)s to your cart %(when)s"),
        "viewed": _("you viewed the %(name)s %(when)s"),
        "searched": _("you searched for “%(name)s” %(when)s"),
    }[link.action] % values


def together_in_words(item: Together) -> str:
    values = {"name": short_name(item.name), "count": item.shoppers}
    if item.relation == "bought_next":
        text = ngettext(
            "%(count)d shopper bought it after the %(name)s",
            "%(count)d shoppers bought it after the %(name)s",
            item.shoppers,
        )
    elif item.relation == "bought_together":
        text = ngettext(
            "%(count)d shopper bought it together with the %(name)s",
            "%(count)d shoppers bought it together with the %(name)s",
            item.shoppers,
        )
    else:
        text = ngettext(
            "%(count)d shopper viewed it and the %(name)s",
            "%(count)d shoppers viewed it and the %(name)s",
            item.shoppers,
        )
    return text % values


def constraint_in_words(constraint: Constraint, evidence: Evidence) -> str:
    product = evidence.product
    price = price_in_words(product.price, product.currency)
    limit = price_in_words(constraint.value, product.currency)
    if constraint.kind == "max_price" and price:
        return _("%(price)s, under your %(limit)s limit") % {"price": price, "limit": limit}
    if constraint.kind == "min_price" and price:
        return _("%(price)s, above your %(limit)s minimum") % {"price": price, "limit": limit}
    if constraint.kind == "in_stock":
        return _("in stock now")
    return _("%(value)s, as you asked") % {"value": constraint.value}


def facts_in_words(evidence: Evidence, language: str) -> list[str]:
    """Every fact of the evidence as a short line: what a generator may use, and what the admin
    preview shows instead of raw scores. Missing fields are left out, never guessed."""
    with translation.override(language):
        product = evidence.product
        lines = [_("Product: %(name)s") % {"name": short_name(product.name)}]
        if product.brand:
            lines.append(_("Brand: %(brand)s") % {"brand": product.brand})
        if product.category:
            lines.append(_("Category: %(category)s") % {"category": product.category})
        if price := price_in_words(product.price, product.currency):
            lines.append(_("Price: %(price)s") % {"price": price})
        if product.rating is not None:
            lines.append(_("Rating: %(rating).1f of 5") % {"rating": product.rating})
        lines += [f"{key}: {value}" for key, value in product.attributes.items()]
        for link in evidence.history:
            line = history_in_words(link)
            if link.shared:
                line += " · " + _("both: %(values)s") % {"values": ", ".join(link.shared)}
            lines.append(line)
        lines += [together_in_words(item) for item in evidence.together]
        lines += [constraint_in_words(c, evidence) for c in evidence.constraints if c.met]
        if evidence.page_product:
            line = _("Similar to the %(name)s") % {"name": short_name(evidence.page_product)}
            if evidence.shared_with_page:
                line += " · " + _("both: %(values)s") % {
                    "values": ", ".join(evidence.shared_with_page)
                }
            lines.append(line)
        if evidence.shoppers:
            lines.append(
                ngettext(
                    "%(count)d shopper chose it recently",
                    "%(count)d shoppers chose it recently",
                    evidence.shoppers,
                )
                % {"count": evidence.shoppers}
            )
        if evidence.trend:
            lines.append(_("%(times).0f× its usual interest lately") % {"times": evidence.trend})
        return lines


def template_sentences(evidence: Evidence, language: str) -> list[str]:
    """Reasons built from the evidence alone, most specific first: a list can take the next one
    when the first already stands under another card."""
    with translation.override(language):
        sentences = [_capitalised(s) for s in _sentences(evidence) if s]
        return list(dict.fromkeys(sentences))


def _sentences(evidence: Evidence) -> list[str]:
    product = evidence.product
    out: list[str] = []
    met = [c for c in evidence.constraints if c.met]
    words = [c.value for c in met if c.kind in ("word", "brand", "category")]
    prices = [constraint_in_words(c, evidence) for c in met if c.kind in ("max_price", "min_price")]
    if words or prices:
        out.append(_(", ").join([*words, *prices]))
    for item in evidence.together:
        if item.shoppers < TOGETHER_SHOWN:
            continue
        values = {"count": item.shoppers, "name": short_name(item.name)}
        if item.relation == "bought_next":
            out.append(_("Bought next by %(count)d shoppers who bought the %(name)s") % values)
        elif item.relation == "bought_together":
            out.append(_("Bought together with the %(name)s by %(count)d shoppers") % values)
    for link in evidence.history:
        out += _history_sentences(link, product)
    if evidence.page_product:
        out += _alternative_sentences(evidence)
    if evidence.trend:
        out.append(_("Trending: %(times).0f× its usual interest") % {"times": evidence.trend})
    if evidence.shoppers and evidence.shoppers >= TOGETHER_SHOWN:
        out.append(_("Chosen by %(count)d shoppers recently") % {"count": evidence.shoppers})
    out.append(_product_sentence(product))
    return out


def _history_sentences(link: HistoryLink, product: ProductFacts) -> list[str]:
    """Most specific first; the last is true of any link, so a list has a second choice."""
    values = {"name": short_name(link.name), "when": when_in_words(link.when)}
    if link.action == "searched":
        return [_("Matches your search “%(name)s”") % values]
    out = []
    if link.action == "bought":
        out.append(_("Goes with the %(name)s you bought %(when)s") % values)
    elif link.action == "carted":
        out.append(_("Goes with the %(name)s you added to your cart %(when)s") % values)
    if product.brand and product.brand in link.shared:
        out.append(_("From %(brand)s, like the %(name)s") % {**values, "brand": product.brand})
    if product.category and product.category in link.shared:
        out.append(
            _("Also in %(category)s, like the %(name)s") % {**values, "category": product.category}
        )
    for value in link.shared:
        if value not in (product.brand, product.category):
            out.append(_("Shares “%(value)s” with the %(name)s") % {**values, "value": value})
            break
    if link.action == "viewed":
        out.append(_("Because you viewed the %(name)s %(when)s") % values)
    out.append(_("Picked for you after the %(name)s") % values)
    return out


def _alternative_sentences(evidence: Evidence) -> list[str]:
    product, shared = evidence.product, evidence.shared_with_page
    values = {"name": short_name(evidence.page_product or "")}
    out = []
    if product.brand and product.brand in shared:
        out.append(_("Like the %(name)s, also from %(brand)s") % {**values, "brand": product.brand})
    if product.category and product.category in shared:
        price = price_in_words(product.price, product.currency)
        if price:
            out.append(
                _("Also in %(category)s, like the %(name)s, at %(price)s")
                % {**values, "category": product.category, "price": price}
            )
    for value in shared:
        if value not in (product.brand, product.category):
            out.append(_("Shares “%(value)s” with the %(name)s") % {**values, "value": value})
            break
    out.append(_("An alternative to the %(name)s") % values)
    return out


def _product_sentence(product: ProductFacts) -> str:
    price = price_in_words(product.price, product.currency)
    if product.brand and product.category and price:
        return _("%(category)s by %(brand)s, %(price)s") % {
            "category": product.category, "brand": product.brand, "price": price,
        }  # fmt: skip
    if product.brand:
        return _("From %(brand)s") % {"brand": product.brand}
    if product.category and price:
        return _("%(category)s, %(price)s") % {"category": product.category, "price": price}
    return product.category or price or ""


def _capitalised(text: str) -> str:
    return text[:1].upper() + text[1:]
