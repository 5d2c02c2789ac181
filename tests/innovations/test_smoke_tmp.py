from typing import Any
from tests.innovations import factories as fi

def test_smoke(world: Any, login: Any) -> None:
    inn = fi.innovation(world)
    a = fi.adopt(world, inn)
    c = login(world.people["staff_b"])
    for u in [f"/collaboratives/{world.collab.slug}/innovations/", inn.get_absolute_url(), inn.get_absolute_url()+"spread/", inn.get_absolute_url()+"adopt/", f"/adoptions/{a.pk}/", inn.get_absolute_url()+"change-package.json"]:
        r = c.get(u)
        assert r.status_code == 200, (u, r.status_code, r.content[:3000])
