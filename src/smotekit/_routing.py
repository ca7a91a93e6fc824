"""Declare ``fit_resample`` to scikit-learn's metadata routing.

scikit-learn routes metadata (``sample_weight``, a cost matrix...) only to the
method names it lists, and offers no public way to add one: its own comment says
new methods are added by extending those lists. imbalanced-learn does the same,
so code that calls ``sampler.set_fit_resample_request(...)`` keeps working.

This module must be imported before any sampler class is defined: scikit-learn
creates the ``set_<method>_request`` setters when a class is created.
"""

from sklearn.utils import _metadata_requests as _requests

for _name in ("fit_resample",):
    # Append only if absent: imbalanced-learn, when imported too, registers the same name.
    if _name not in _requests.SIMPLE_METHODS:
        _requests.SIMPLE_METHODS.append(_name)
    if _name not in _requests.METHODS:
        _requests.METHODS.append(_name)
