"""URLs of the store."""

from django.contrib.auth import views as auth_views
from django.urls import path

from . import privacy_views, views

app_name = "store"
urlpatterns = [
    path("", views.home, name="home"),
    path("c/<slug:slug>/", views.category_detail, name="category"),
    path("p/<slug:slug>/", views.product_detail, name="product"),
    path("p/<slug:slug>/review/", views.review_add, name="review_add"),
    path("p/<slug:slug>/image.svg", views.product_image, name="product_image"),
    path("search/", views.search, name="search"),
    path("cart/", views.cart_detail, name="cart"),
    path("cart/add/<int:product_id>/", views.cart_add, name="cart_add"),
    path("cart/update/<int:product_id>/", views.cart_update, name="cart_update"),
    path("cart/remove/<int:product_id>/", views.cart_remove, name="cart_remove"),
    path("checkout/", views.checkout, name="checkout"),
    path("orders/", views.order_list, name="order_list"),
    path("orders/<int:pk>/", views.order_detail, name="order"),
    path("account/data/", privacy_views.your_data, name="your_data"),
    path("account/data/download/", privacy_views.your_data_download, name="your_data_download"),
    path("account/data/delete/", privacy_views.your_data_delete, name="your_data_delete"),
    path(
        "account/data/personalisation/",
        privacy_views.your_data_personalisation,
        name="your_data_personalisation",
    ),
    path("accounts/signup/", views.signup, name="signup"),
    path(
        "accounts/login/",
        auth_views.LoginView.as_view(redirect_authenticated_user=True),
        name="login",
    ),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
]
