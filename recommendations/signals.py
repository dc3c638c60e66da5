"""Domain signals a host shop sends so the engine can learn without importing the shop.

Every signal carries ``user`` (a user instance or None), ``session_key`` (str or None, the anonymous
visitor's session) and ``timestamp`` (aware datetime), plus:

- ``product_viewed``: ``product``
- ``added_to_cart`` / ``removed_from_cart``: ``product``, ``quantity``
- ``order_placed``: ``order``, ``lines`` (list of ``(product, quantity)``)
- ``review_written``: ``product``, ``rating`` (1-5), ``text``
- ``search_performed``: ``query``, ``results_count``

The engine sends two of its own, so that services never import tasks: receivers enqueue.

- ``products_stale``: ``product_ids`` whose vectors must be recomputed
- ``shopper_stale``: ``shopper`` (key) whose vector must be recomputed
"""

from django.dispatch import Signal

product_viewed = Signal()
added_to_cart = Signal()
removed_from_cart = Signal()
order_placed = Signal()
review_written = Signal()
search_performed = Signal()
products_stale = Signal()
shopper_stale = Signal()
