"""Forms of the store: they validate shopper input so bad input becomes a message, never a 500."""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import UserCreationForm
from django.db.models import QuerySet
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from .cart import MAX_QUANTITY
from .catalog import SORTS, ListingFilters
from .models import Brand, Product, Review


class QuantityForm(forms.Form):
    """A cart quantity, checked against stock together with what is already in the cart."""

    quantity = forms.IntegerField(
        min_value=1,
        max_value=MAX_QUANTITY,
        initial=1,
        error_messages={"invalid": gettext_lazy("Enter a whole number.")},
    )

    def __init__(self, *args: Any, product: Product, in_cart: int = 0, **kwargs: Any) -> None:
        # One form per cart line on the cart page: ids must stay unique for the labels to work.
        kwargs.setdefault("auto_id", f"id_%s_{product.pk}")
        super().__init__(*args, **kwargs)
        self.product = product
        self.in_cart = in_cart
        self.fields["quantity"].widget.attrs.update(
            {"max": max(1, min(MAX_QUANTITY, product.stock)), "inputmode": "numeric"}
        )

    def clean_quantity(self) -> int:
        quantity = self.cleaned_data["quantity"]
        total = self.in_cart + quantity
        if total > MAX_QUANTITY:
            message = _("You can order at most %(limit)d of one product.")
            if self.in_cart:
                message = _(
                    "You can order at most %(limit)d of one product "
                    "(you already have %(in_cart)d in your cart)."
                )
            raise forms.ValidationError(message % {"limit": MAX_QUANTITY, "in_cart": self.in_cart})
        if total > self.product.stock:
            if self.product.stock == 0:
                raise forms.ValidationError(_("Sorry, this product is out of stock."))
            message = _("Only %(stock)d in stock.")
            if self.in_cart:
                message = _("Only %(stock)d in stock (you already have %(in_cart)d in your cart).")
            raise forms.ValidationError(
                message % {"stock": self.product.stock, "in_cart": self.in_cart}
            )
        return quantity


class SignupForm(UserCreationForm):
    """Asks for an email too, so checkout can be pre-filled."""

    class Meta(UserCreationForm.Meta):
        model = get_user_model()
        fields = ("username", "email")


def _rating_choices() -> list[tuple[int, str]]:
    """A callable, so the labels follow the language of each request."""
    return [
        (n, ngettext("%(count)d star", "%(count)d stars", n) % {"count": n})
        for n in range(5, 0, -1)
    ]


class ReviewForm(forms.ModelForm):
    rating = forms.TypedChoiceField(
        label=gettext_lazy("Rating"),
        choices=_rating_choices,
        coerce=int,
        widget=forms.RadioSelect,
    )

    class Meta:
        model = Review
        fields = ["rating", "text"]
        labels = {"text": gettext_lazy("Your review")}
        widgets = {"text": forms.Textarea(attrs={"rows": 4})}

    def clean(self) -> dict[str, Any]:
        """The one-review-per-user constraint spans fields the form leaves out, so check it here."""
        cleaned = super().clean()
        review = self.instance
        if Review.objects.filter(product=review.product, user=review.user).exists():
            raise forms.ValidationError(_("You have already reviewed this product."))
        return cleaned


class CheckoutForm(forms.Form):
    full_name = forms.CharField(
        label=gettext_lazy("Full name"),
        max_length=200,
        widget=forms.TextInput({"autocomplete": "name"}),
    )
    email = forms.EmailField(
        label=gettext_lazy("Email"), widget=forms.EmailInput({"autocomplete": "email"})
    )
    address = forms.CharField(
        label=gettext_lazy("Address"),
        max_length=1000,
        widget=forms.Textarea({"rows": 3, "autocomplete": "street-address"}),
        help_text=gettext_lazy("Street, postcode, city and country."),
    )


class ListingForm(forms.Form):
    """Query-string filters; an invalid value is reported on the page and otherwise ignored."""

    min_price = forms.DecimalField(
        label=gettext_lazy("Min price"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
    )
    max_price = forms.DecimalField(
        label=gettext_lazy("Max price"),
        required=False,
        min_value=0,
        max_digits=10,
        decimal_places=2,
    )
    brand = forms.MultipleChoiceField(
        label=gettext_lazy("Brand"), required=False, widget=forms.CheckboxSelectMultiple
    )
    in_stock = forms.BooleanField(required=False, label=gettext_lazy("In stock only"))
    sort = forms.ChoiceField(label=gettext_lazy("Sort"), required=False)

    def __init__(self, *args: Any, brands: QuerySet[Brand], search: bool = False, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.fields["brand"].choices = [(b.slug, b.name) for b in brands]
        self.default_sort = "relevance" if search else "newest"
        self.fields["sort"].choices = [
            (key, label) for key, label in SORTS.items() if search or key != "relevance"
        ]

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        low, high = cleaned.get("min_price"), cleaned.get("max_price")
        if low is not None and high is not None and low > high:
            self.add_error("max_price", _("The maximum price is below the minimum price."))
        return cleaned

    def filters(self) -> ListingFilters:
        """The valid part of the input; call after ``is_valid()``."""
        data = self.cleaned_data
        return ListingFilters(
            min_price=data.get("min_price"),
            max_price=data.get("max_price"),
            brands=tuple(data.get("brand") or ()),
            in_stock=bool(data.get("in_stock")),
            sort=data.get("sort") or self.default_sort,
        )
