"""Views of the store: parse the request, call a selector or service, render. No business rules."""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.core.paginator import Paginator
from django.db.models import QuerySet, Sum
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import get_conditional_response
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST, require_safe

from . import catalog, images
from .cart import cart_clear, cart_contents, cart_quantities, cart_set_quantity
from .checkout import CheckoutError, checkout_token, checkout_token_forget, order_place
from .events import actor_from_request, product_view_record, search_record
from .forms import CheckoutForm, ListingForm, QuantityForm, ReviewForm, SignupForm
from .models import Category, Order, Product, Review
from .reviews import review_create

PRODUCTS_PER_PAGE = 24
ORDERS_PER_PAGE = 20
REVIEWS_SHOWN = 50
# A placeholder changes only with its category's name: cached for a day, then revalidated by ETag.
IMAGE_MAX_AGE = 24 * 60 * 60


def home(request: HttpRequest) -> HttpResponse:
    context = {"new_arrivals": catalog.new_arrivals(), "sections": catalog.home_sections()}
    return render(request, "store/home.html", context)


def category_detail(request: HttpRequest, slug: str) -> HttpResponse:
    category = get_object_or_404(Category, slug=slug)
    context = _listing_context(request, catalog.category_products(category), search=False)
    context.update(
        category=category,
        breadcrumbs=category.ancestors_and_self(),
        children=category.children.all(),
    )
    return render(request, "store/category.html", context)


def search(request: HttpRequest) -> HttpResponse:
    """Ranked matches; related products when nothing matches; the hint when there is nothing
    to search for."""
    query = catalog.search_query_clean(request.GET.get("q", ""))
    found = catalog.search_products(query) if query else None
    if found is None or found.empty:
        context = {"query": query, "search": found, "nothing_to_search": True}
        return render(request, "store/search.html", context)
    context = _listing_context(request, found.products, search=True)
    context.update(query=query, search=found)
    search_record(
        actor=actor_from_request(request),
        query=query,
        results_count=0 if found.related else context["page_obj"].paginator.count,
    )
    return render(request, "store/search.html", context)


def _listing_context(request: HttpRequest, products: QuerySet[Product], *, search: bool) -> dict:
    form = ListingForm(request.GET, brands=catalog.brands_of(products), search=search)
    form.is_valid()
    products = catalog.products_filter(products, form.filters())
    page = Paginator(products, PRODUCTS_PER_PAGE).get_page(request.GET.get("page"))
    return {"form": form, "page_obj": page}


def product_detail(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(catalog.product_page_products(), slug=slug)
    product_view_record(actor=actor_from_request(request), product=product)
    return _product_page(request, product)


@require_safe
@cache_control(public=True, max_age=IMAGE_MAX_AGE)
def product_image(request: HttpRequest, slug: str) -> HttpResponse:
    """The generated placeholder of a product without an image of its own."""
    product = get_object_or_404(Product.objects.select_related("category"), slug=slug)
    svg = images.placeholder_image_svg(product.category)
    etag = f'"{hashlib.sha1(svg.encode()).hexdigest()}"'
    response = get_conditional_response(request, etag=etag) or HttpResponse(
        svg, content_type="image/svg+xml"
    )
    response["ETag"] = etag
    return response


@require_POST
def review_add(request: HttpRequest, slug: str) -> HttpResponse:
    product = get_object_or_404(catalog.product_page_products(), slug=slug)
    if not request.user.is_authenticated:
        return redirect_to_login(product.get_absolute_url())
    form = ReviewForm(request.POST, instance=Review(product=product, user=request.user))
    if not form.is_valid():
        return _product_page(request, product, review_form=form, status=400)
    review_create(
        actor=actor_from_request(request),
        product=product,
        rating=form.cleaned_data["rating"],
        text=form.cleaned_data["text"],
    )
    messages.success(request, _("Thank you for your review!"))
    return redirect(product)


def _product_page(
    request: HttpRequest,
    product: Product,
    *,
    cart_form: QuantityForm | None = None,
    review_form: ReviewForm | None = None,
    status: int = 200,
) -> HttpResponse:
    in_cart = cart_quantities(request.session).get(product.pk, 0)
    reviews = list(product.reviews.select_related("user")[:REVIEWS_SHOWN])
    user = request.user
    # All the reviews are here unless there are more than are shown.
    has_reviewed = user.is_authenticated and (
        any(review.user_id == user.pk for review in reviews)
        or (len(reviews) == REVIEWS_SHOWN and product.reviews.filter(user=user).exists())
    )
    if review_form is None and user.is_authenticated and not has_reviewed:
        review_form = ReviewForm()
    context = {
        "product": product,
        "breadcrumbs": product.category.ancestors_and_self(),
        "attributes": catalog.product_attributes(product),
        "cart_form": cart_form or QuantityForm(product=product, in_cart=in_cart),
        "in_cart": in_cart,
        "reviews": reviews,
        "review_form": review_form,
        "has_reviewed": has_reviewed,
    }
    return render(request, "store/product_detail.html", context, status=status)


def cart_detail(request: HttpRequest) -> HttpResponse:
    return _cart_page(request)


@require_POST
def cart_add(request: HttpRequest, product_id: int) -> HttpResponse:
    product = get_object_or_404(catalog.product_page_products(), pk=product_id)
    in_cart = cart_quantities(request.session).get(product.pk, 0)
    form = QuantityForm(request.POST, product=product, in_cart=in_cart)
    if not form.is_valid():
        return _product_page(request, product, cart_form=form, status=400)
    quantity = form.cleaned_data["quantity"]
    cart_set_quantity(
        request.session,
        actor=actor_from_request(request),
        product=product,
        quantity=in_cart + quantity,
    )
    messages.success(
        request,
        _("Added %(quantity)d × %(title)s to your cart.")
        % {"quantity": quantity, "title": product.title},
    )
    return redirect("store:cart")


@require_POST
def cart_update(request: HttpRequest, product_id: int) -> HttpResponse:
    product = get_object_or_404(Product.objects.active(), pk=product_id)
    form = QuantityForm(request.POST, product=product)
    if not form.is_valid():
        return _cart_page(request, invalid_form=form, status=400)
    cart_set_quantity(
        request.session,
        actor=actor_from_request(request),
        product=product,
        quantity=form.cleaned_data["quantity"],
    )
    messages.success(request, _("Updated the quantity of %(title)s.") % {"title": product.title})
    return redirect("store:cart")


@require_POST
def cart_remove(request: HttpRequest, product_id: int) -> HttpResponse:
    """Works for deactivated products too, so a shopper can always clean up the cart."""
    product = get_object_or_404(Product, pk=product_id)
    actor = actor_from_request(request)
    cart_set_quantity(request.session, actor=actor, product=product, quantity=0)
    messages.success(request, _("Removed %(title)s from your cart.") % {"title": product.title})
    return redirect("store:cart")


def _cart_page(
    request: HttpRequest, *, invalid_form: QuantityForm | None = None, status: int = 200
) -> HttpResponse:
    cart = cart_contents(request.session)
    rows = [
        (
            line,
            invalid_form
            if invalid_form and invalid_form.product.pk == line.product.pk
            else QuantityForm(initial={"quantity": line.quantity}, product=line.product),
        )
        for line in cart.lines
    ]
    context = {"cart": cart, "rows": rows, "cart_products": [line.product for line in cart.lines]}
    return render(request, "store/cart.html", context, status=status)


@login_required
def checkout(request: HttpRequest) -> HttpResponse:
    """A resubmitted checkout (double click, retry) carries the cart's token and finds its order."""
    cart = cart_contents(request.session)
    if not cart.lines:
        messages.info(request, _("Your cart is empty: add a product before checking out."))
        return redirect("store:cart")
    token = checkout_token(request.session)
    if request.method != "POST":
        user = request.user
        form = CheckoutForm(initial={"full_name": user.get_full_name(), "email": user.email})
        return render(request, "store/checkout.html", {"form": form, "cart": cart})
    form = CheckoutForm(request.POST)
    if form.is_valid():
        try:
            order = order_place(
                actor=actor_from_request(request),
                quantities={line.product.pk: line.quantity for line in cart.lines},
                token=token,
                **form.cleaned_data,
            )
        except CheckoutError as error:
            form.add_error(None, str(error))
        else:
            cart_clear(request.session)
            checkout_token_forget(request.session)
            messages.success(
                request,
                _("Thank you! Your order #%(number)s has been placed.") % {"number": order.pk},
            )
            return redirect(order)
    return render(request, "store/checkout.html", {"form": form, "cart": cart}, status=400)


@login_required
def order_list(request: HttpRequest) -> HttpResponse:
    orders = request.user.orders.annotate(item_count=Sum("lines__quantity")).order_by(
        "-created_at", "-pk"
    )
    page = Paginator(orders, ORDERS_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "store/order_list.html", {"page_obj": page})


@login_required
def order_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """Someone else's order is a 404, not a 403, so order numbers reveal nothing."""
    order = get_object_or_404(
        Order.objects.prefetch_related("lines__product"), pk=pk, user=request.user
    )
    return render(request, "store/order_detail.html", {"order": order})


def signup(request: HttpRequest) -> HttpResponse:
    """Signs the new user in straight away; login() keeps the session's cart."""
    if request.user.is_authenticated:
        return redirect(settings.LOGIN_REDIRECT_URL)
    next_url = _safe_next(request)
    form = SignupForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        login(request, user)
        messages.success(
            request,
            _("Welcome, %(name)s! Your account is ready.") % {"name": user.get_username()},
        )
        return redirect(next_url or settings.LOGIN_REDIRECT_URL)
    status = 400 if request.method == "POST" else 200
    context = {"form": form, "next": next_url}
    return render(request, "registration/signup.html", context, status=status)


def _safe_next(request: HttpRequest) -> str:
    next_url = request.POST.get("next") or request.GET.get("next") or ""
    allowed = url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return next_url if allowed else ""
