"""The verifier: a generated reason may say only what its evidence holds.

Small models invent ("a high-end jacket", "recommended by a shopper", "you bought it last
week"). A reason that names a product, brand, category, attribute, number or piece of the
shopper's history that its evidence lacks, or that has the wrong length or language, fails with
a short stable cause; the caller serves the template reason instead and records the cause.

English is held strictly: every word is a neutral phrasing word or a word of the evidence.
Chinese is held to lexicons of the claims small models make (history, endorsements, popularity,
attributes, product types), each needing its support in the evidence, and to a list of the
characters of neutral phrasing: any other character ("空间宽敞" unlisted, or garbled output) fails.
Both are held to the catalog's names and to the numbers of the evidence. A true reason that
names no fact beyond the product itself ("A great choice.") fails as vague.
"""

from .checks import names_a_fact, verify
from .verdict import Verdict

__all__ = ["Verdict", "names_a_fact", "verify"]
