"""quota_exceeded and city_previously_selected: the cities applied for (read from titles or officer-set)."""
from __future__ import annotations

from precheck.checks.context import DossierContext
from precheck.checks.common import analysis, of_kind, prior_rounds
from core.findings import FindingSpec


def applied_cities(ctx: DossierContext) -> tuple[list[str], str]:
    """Officer-set ``Dossier.cities`` win; else the cities named in cover-letter and plan titles."""
    d = ctx.dossier
    if d is not None and getattr(d, "cities", None):
        return list(d.cities), getattr(d, "cities_source", None) or "officer"
    found: list[str] = []
    for doc in of_kind(ctx.documents, "cover_letter", "plan"):
        for c in analysis(doc).get("cities") or []:
            if c not in found:
                found.append(c)
    return found, "documents"


class QuotaExceeded:
    name = "quota_exceeded"
    scope = "dossier"
    rule = "R15"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        cities, source = applied_cities(ctx)
        lim = ctx.call.limits
        try:
            cp = ctx.call.province(ctx.province).cp_city
        except KeyError:
            cp = None
        quota = lim.quota_per_province + (lim.quota_extra_if_applying_for_cp_city if cp and cp in cities else 0)
        if len(cities) <= quota:
            return []
        t15, section = ctx.call.clause(self.rule)
        t16, _ = ctx.call.clause("R16")
        extra = f"（含计划单列市{cp}，名额 {quota} 个）" if cp and cp in cities else f"（名额 {quota} 个）"
        return [FindingSpec("quota_exceeded", f"申报城市 {len(cities)} 个：{'、'.join(cities)}，超过名额{extra}",
                            {"cities": cities, "count": len(cities), "quota": quota, "cp_city": cp, "source": source},
                            f"{t15}{t16}", section)]


class CityPreviouslySelected:
    name = "city_previously_selected"
    scope = "dossier"
    rule = "R17"

    def check(self, ctx: DossierContext) -> list[FindingSpec]:
        cities, source = applied_cities(ctx)
        out = []
        for rnd in prior_rounds(ctx.call):
            for city, prov in rnd.cities:
                if city in cities:
                    text, section = ctx.call.clause(self.rule)
                    out.append(FindingSpec("city_previously_selected", f"{city}已在{rnd.year}年被评为示范项目，不得再次申报",
                                           {"city": city, "province": prov, "year": rnd.year, "source": source},
                                           text, section))
        return out
