"""How the recommendation engine reads this store's products: the default field names fit; only
images differ, since a product without one gets the store's generated placeholder."""

from django.db import models

from recommendations.adapters import ProductAdapter

from .images import product_image_src


class StoreProductAdapter(ProductAdapter):
    def image(self, product: models.Model) -> str:
        return product_image_src(product)
