"""factory_boy factories for the store's models."""

import importlib
from decimal import Decimal

import factory
from django.apps import apps
from django.contrib.auth import get_user_model

from shop.store.models import Brand, Category, Order, OrderLine, Product, Review


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)

    username = factory.Sequence(lambda n: f"shopper{n}")
    email = factory.LazyAttribute(lambda u: f"{u.username}@example.com")
    password = factory.django.Password("correct-horse-battery")


class CategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Category

    name = factory.Sequence(lambda n: f"Category {n}")
    slug = factory.Sequence(lambda n: f"category-{n}")
    parent = None


class BrandFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Brand

    name = factory.Sequence(lambda n: f"Brand {n}")
    slug = factory.Sequence(lambda n: f"brand-{n}")


class ProductFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Product

    title = factory.Sequence(lambda n: f"Product {n}")
    slug = factory.Sequence(lambda n: f"product-{n}")
    description = "A sturdy, well made product."
    category = factory.SubFactory(CategoryFactory)
    brand = factory.SubFactory(BrandFactory)
    price = Decimal("19.99")
    currency = "EUR"
    stock = 10
    attributes = factory.LazyFunction(dict)
    is_active = True


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    product = factory.SubFactory(ProductFactory)
    user = factory.SubFactory(UserFactory)
    rating = 5
    text = "Does exactly what it says."


class OrderFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Order

    user = factory.SubFactory(UserFactory)
    full_name = "Ada Lovelace"
    email = "ada@example.com"
    address = "1 Analytical Way, London"
    total = Decimal("0.00")


class OrderLineFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OrderLine

    order = factory.SubFactory(OrderFactory)
    product = factory.SubFactory(ProductFactory)
    title = factory.LazyAttribute(lambda line: line.product.title)
    unit_price = factory.LazyAttribute(lambda line: line.product.price)
    quantity = 1


def store_placements_restore() -> None:
    """The placements the store's migrations create, again: a transactional test that ran
    before flushed every table."""
    for migration in ("0002_recommendation_placements", "0003_whats_next_placements"):
        importlib.import_module(f"shop.store.migrations.{migration}").create(apps, None)
