"""Admin of the store: the catalog with CSV import and export, reviews, orders to ship."""

from __future__ import annotations

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.core.exceptions import PermissionDenied
from django.db import models
from django.db.models import Count, QuerySet
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect, StreamingHttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import URLPattern, path, reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from recommendations.admin import RecommendationAdminMixin
from shop.store.models import Brand, Category, Order, OrderLine, Product, Review
from shop.store.product_csv import (
    COLUMNS,
    MAX_FILE_BYTES,
    REQUIRED,
    export_products_csv,
    import_products_csv,
)


@admin.register(Category)
class CategoryAdmin(admin.ModelAdmin):
    list_display = ("name", "parent", "product_count")
    list_select_related = ("parent",)
    search_fields = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    autocomplete_fields = ("parent",)

    def get_queryset(self, request: HttpRequest) -> QuerySet[Category]:
        return super().get_queryset(request).annotate(product_count=Count("products"))

    @admin.display(description=_("products"), ordering="product_count")
    def product_count(self, category: Category) -> int:
        return category.product_count


@admin.register(Brand)
class BrandAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    search_fields = ("name",)
    prepopulated_fields = {"slug": ("name",)}


class TopLevelCategoryFilter(admin.SimpleListFilter):
    """A top-level category and everything below it: a flat list of every category is too long."""

    title = _("category")
    parameter_name = "category_tree"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return list(Category.objects.filter(parent=None).values_list("pk", "name"))

    def queryset(self, request: HttpRequest, queryset: QuerySet[Product]) -> QuerySet[Product]:
        if self.value() is None:
            return queryset
        if not self.value().isdigit():
            return queryset.none()
        return queryset.filter(category_id__in=Category(pk=int(self.value())).descendant_ids())


class InStockFilter(admin.SimpleListFilter):
    title = _("stock")
    parameter_name = "in_stock"

    def lookups(self, request: HttpRequest, model_admin: admin.ModelAdmin) -> list[tuple]:
        return [("yes", _("In stock")), ("no", _("Out of stock"))]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Product]) -> QuerySet[Product]:
        if self.value() == "yes":
            return queryset.in_stock()
        if self.value() == "no":
            return queryset.filter(stock=0)
        return queryset


class ProductImportForm(forms.Form):
    file = forms.FileField(label=_("CSV file"))


@admin.register(Product)
class ProductAdmin(RecommendationAdminMixin, admin.ModelAdmin):
    list_display = ("title", "category", "brand", "price", "stock", "is_active", "updated_at")
    list_editable = ("price", "stock")
    list_filter = (
        "is_active",
        TopLevelCategoryFilter,
        ("brand", admin.RelatedOnlyFieldListFilter),
        InStockFilter,
    )
    list_select_related = ("category__parent", "brand")
    search_fields = ("title", "description", "external_id", "brand__name")
    prepopulated_fields = {"slug": ("title",)}
    autocomplete_fields = ("category", "brand")
    readonly_fields = ("created_at", "updated_at")
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ("activate", "deactivate", "export_selected_csv")

    def get_urls(self) -> list[URLPattern]:
        info = self.opts.app_label, self.opts.model_name
        return [
            path(
                "import-csv/",
                self.admin_site.admin_view(self.import_csv_view),
                name="{}_{}_import_csv".format(*info),
            ),
            path(
                "export-csv/",
                self.admin_site.admin_view(self.export_csv_view),
                name="{}_{}_export_csv".format(*info),
            ),
            *super().get_urls(),
        ]

    def changelist_view(self, request: HttpRequest, extra_context: dict | None = None):
        """The widest table of the admin gets the page's whole width: beside the navigation
        sidebar, price and stock were pushed out of view on a laptop."""
        extra_context = {
            **(extra_context or {}),
            "has_import_permission": self.has_import_permission(request),
            "is_nav_sidebar_enabled": False,
        }
        return super().changelist_view(request, extra_context)

    def has_import_permission(self, request: HttpRequest) -> bool:
        """An import both adds and changes products."""
        return self.has_add_permission(request) and self.has_change_permission(request)

    @admin.action(description=_("Activate selected products"), permissions=["change"])
    def activate(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        self._set_active(request, queryset, active=True)

    @admin.action(description=_("Deactivate selected products"), permissions=["change"])
    def deactivate(self, request: HttpRequest, queryset: QuerySet[Product]) -> None:
        self._set_active(request, queryset, active=False)

    def _set_active(
        self, request: HttpRequest, queryset: QuerySet[Product], *, active: bool
    ) -> None:
        count = queryset.exclude(is_active=active).update(
            is_active=active, updated_at=timezone.now()
        )
        if active:
            message = ngettext(
                "%(count)d product was activated.", "%(count)d products were activated.", count
            )
        else:
            message = ngettext(
                "%(count)d product was deactivated.", "%(count)d products were deactivated.", count
            )
        self.message_user(request, message % {"count": count}, messages.SUCCESS)

    @admin.action(description=_("Export selected to CSV"), permissions=["view"])
    def export_selected_csv(self, request: HttpRequest, queryset: QuerySet[Product]):
        return _csv_response(queryset)

    def export_csv_view(self, request: HttpRequest) -> HttpResponse:
        """Every product the changelist shows with the same filters, search and ordering."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        try:
            changelist = self.get_changelist_instance(request)
        except IncorrectLookupParameters:
            return redirect("admin:store_product_changelist")
        return _csv_response(changelist.get_queryset(request))

    def import_csv_view(self, request: HttpRequest) -> HttpResponse:
        if not self.has_import_permission(request):
            raise PermissionDenied
        form = ProductImportForm(request.POST or None, request.FILES or None)
        result = None
        if form.is_valid():
            result = import_products_csv(form.cleaned_data["file"])
            if result.ok:
                self.message_user(request, result.summary(), messages.SUCCESS)
                return HttpResponseRedirect(reverse("admin:store_product_changelist"))
            self.message_user(request, result.summary(), messages.ERROR)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": _("Import products from CSV"),
            "form": form,
            "errors": result.errors if result else [],
            "errors_not_shown": result.hidden if result else 0,
            "columns": COLUMNS,
            "required": REQUIRED,
            "max_megabytes": MAX_FILE_BYTES // 2**20,
        }
        return TemplateResponse(request, "admin/store/product/import_csv.html", context)


def _csv_response(queryset: QuerySet[Product]) -> StreamingHttpResponse:
    filename = f"products-{timezone.now():%Y%m%d-%H%M%S}.csv"
    return StreamingHttpResponse(
        export_products_csv(queryset),
        content_type="text/csv; charset=utf-8",
        headers={"Content-Disposition": f'attachment; filename="{filename}"'},
    )


@admin.register(Review)
class ReviewAdmin(admin.ModelAdmin):
    """Reviews are the customers' words: staff may read and delete them, not write them."""

    list_display = ("product", "user", "rating", "created_at")
    list_filter = ("rating", "created_at")
    list_select_related = ("product", "user")
    search_fields = ("product__title", "user__username", "text")
    readonly_fields = ("product", "user", "rating", "text", "created_at")
    date_hierarchy = "created_at"

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False


class OrderLineInline(admin.TabularInline):
    """Lines record what was bought at which price; changing them would rewrite history."""

    model = OrderLine
    fields = ("product", "title", "unit_price", "quantity", "line_total")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Order | None = None) -> bool:
        return False


@admin.register(Order)
class OrderAdmin(admin.ModelAdmin):
    list_display = ("__str__", "user", "status", "total", "currency", "created_at")
    list_filter = ("status", "created_at")
    list_select_related = ("user",)
    search_fields = ("full_name", "email", "user__username")
    readonly_fields = ("user", "currency", "total", "created_at")
    date_hierarchy = "created_at"
    inlines = (OrderLineInline,)

    def has_add_permission(self, request: HttpRequest) -> bool:
        """Orders come from the checkout, with their lines."""
        return False
