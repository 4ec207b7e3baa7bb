"""Deliverables that leave the building: the CBS SWI delivery and the Monitor Sociaal Domein export.

- `cbs.build_delivery`: the person-level quarterly XML for CBS (the only place a BSN is decrypted);
- `msd.export_msd`: monthly counts for the gemeente's Monitor Sociaal Domein, small numbers suppressed.

See docs/deliverables.md.
"""
from pipelines.deliverables.cbs import DeliveryError, DeliveryReport, build_delivery
from pipelines.deliverables.msd import MsdError, MsdResult, export_msd

__all__ = ["DeliveryError", "DeliveryReport", "MsdError", "MsdResult", "build_delivery", "export_msd"]
