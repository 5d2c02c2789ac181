from ninja import Router

router = Router(tags=["learning from excellence"])
