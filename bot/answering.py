"""Free text → answers: each reading of ``bot.understand`` is answered by its kind and the asker's role, with the
chat's dialogue state filling what a follow-up leaves out. Rules never answer with 通知未明确; open questions
always do (and outrank verdicts); what the bot is not sure of is said so, with the contacts.
"""
from __future__ import annotations

import logging
import re
from datetime import datetime

from core.services import Services

from bot import answer_types as A
from bot import compose, own, verdicts
from bot.access import CONTACT, OFFICER, PUBLIC, Caller, Identity
from bot.record_change import changes_record, is_question
from bot.dialogue import ChatState, PendingAction, carry_numbers
from bot.understand import MIN_CONFIDENCE, MIN_MARGIN, Reading, Understander
from bot.when import when_in

log = logging.getLogger("shenbao.bot")
CONFIRM_WORDS = ("确认", "确定", "是的", "对的", "执行", "好的", "可以", "没问题", "ok", "yes", "对")
CANCEL_WORDS = ("取消", "不用了", "不用", "算了", "不要", "别", "no", "先不")
_ASKING_ALLOWED = re.compile(r"能|可以|还|行|认|算|有效|宽限|延|补|进评审|收|吗|么|不")


class Answerer:
    def __init__(self, services: Services, understander: Understander):
        self.s = services
        self.call = services.call
        self.u = understander

    # --- entry -------------------------------------------------------------------------------------
    async def answer(self, caller: Caller, ident: Identity, text: str, state: ChatState):
        if ident.role == OFFICER and state.action is not None:
            done = await self._pending(caller, text, state)
            if done is not None:
                return done
        readings = _one_record(self.u.read(text, state))
        ctx = _Ctx()
        out = []
        for r in readings:
            ans = await self.one(r, caller, ident, state, ctx)
            if out and isinstance(ans, A.AbstainAnswer) and isinstance(out[-1], A.AbstainAnswer):
                continue                         # two things the notice does not say: one 通知未明确 with the contacts
            out.append(ans)
            _remember(state, r, ans)
        return out[0] if len(out) == 1 else A.MultiAnswer(out)

    def _as(self, r: Reading, intent: str, why: str) -> Reading:
        r.intent, r.spec, r.why = intent, self.u.data.intent(intent), r.why + "; " + why
        return r

    def route(self, r: Reading, ident: Identity, unsure: bool) -> tuple[Reading, bool]:
        """Who asks changes what a reading means: an officer naming a province asks about its record, an officer's
        data-changing verb is an action, a bound contact checking a limit without numbers asks about its own
        filing, an unbound asker without 我们 or a province cannot mean own data."""
        data, sl, t = self.u.data, r.slots, r.text
        spec = r.spec
        best_own = next((i for i, _ in r.ranked if data.intent(i).answer == "own"), "own_status")
        if spec.id != "O1" and spec.answer not in ("open", "officer", "action") and _VALID_ASK.search(t) \
                and _subject_named(data.intent("O1"), t) and _MINISTRY.search(t) and not re.search(r"为什么|几|多少", t):
            return self._as(r, "O1", "does one mailbox count: the open question"), False
        if spec.answer == "own" and sl.count and sl.cities and len(sl.cities) != sl.count:
            return self._as(r, "R15", "a stated count and the cities disagree: ask back"), False
        if ident.role == OFFICER:
            cue = next((k for k, words in (data.action_cues or {}).items() if any(w in t for w in words)), None)
            target = sl.provinces or sl.refs or any(w in t for w in ("那封", "未识别", "张伟", "它", "他们"))
            if not cue and sl.refs and sl.provinces and re.search(r"是.{0,12}的", t):
                cue = "assign"
            if not cue and sl.provinces and target is not True and _TO_PROVINCE.search(t) and (
                    sl.refs or any(w in t for w in ("那封", "未识别", "那个", "这封", "这个"))):
                cue, target = "assign", True
            if not cue and sl.provinces and _PAPER_ARRIVED.search(t) and not is_question(t):
                cue = "paper_copy"
            if not cue and sl.provinces and _SET_ASIDE.search(t) and not is_question(t):
                cue = "override"
            if cue and target and spec.answer != "action":
                return self._as(r, {"assign": "action_assign", "paper_copy": "action_paper"}.get(cue, "action_override"),
                                "officer verb"), False
            if spec.answer == "action" and not cue:
                r = self._as(r, best_own if sl.provinces else "officer_overview", "a question, not an action")
                spec = r.spec
            if sl.provinces and spec.answer != "own" and spec.answer != "action" and (
                    unsure or spec.answer in ("abstain", "scope", "help", "officer", "open") or spec.verdict):
                if not (spec.answer in ("open", "rule") and (_OPEN_ASK.search(t) or _QUOTA_ASK.search(t))):
                    return self._as(r, best_own, "officer: a province's record"), False
            if spec.answer == "own" and (sl.provinces or state_has_province(r)):
                return r, False
        if ident.role == CONTACT and spec.verdict and spec.family in ("pages", "money", "period") and not _stated(sl) \
                and (sl.own or ident.province in sl.provinces or _CHECKING.search(t)):
            return self._as(r, "own_pages" if spec.family == "pages" else "own_problems", "contact: own filing"), False
        if ident.role == CONTACT and sl.own and spec.answer in ("officer", "scope") and (
                _OWN_FACT.search(t) or _CHECKING.search(t)):
            return self._as(r, best_own, "contact: 我们/咱们 and a fact of the record"), False
        if ident.role == CONTACT and spec.answer in ("rule", "open", "abstain") and (
                sl.own or not sl.provinces or sl.provinces == [ident.province]) \
                and _OWN_FACT.search(t) and not _OPEN_ASK.search(t) and not (
                    _subject_named(spec, _unnamed(t, ident)) and _VALID_ASK.search(t)) \
                and not (spec.verdict and _stated(sl)):          # the asker's own numbers: the computed verdict
            return self._as(r, best_own, "contact: own record"), False
        if ident.role != OFFICER and sl.provinces and spec.answer in ("rule", "open", "abstain") and _OWN_FACT.search(t) \
                and not _OPEN_ASK.search(t) and not (ident.role == CONTACT and sl.provinces == [ident.province]):
            return self._as(r, best_own, "a province's record"), False
        if ident.role != OFFICER and spec.answer == "officer" and _OPEN_ASK.search(t):
            alt = next((i for i, sc in r.ranked if self.u.data.intent(i).answer == "rule"), None)
            if alt:
                return self._as(r, alt, "a rule question, not officer data"), unsure
        if ident.role != CONTACT and spec.answer == "own" and spec.id == "own_pages" and _stated(sl):
            alt = "R13" if sl.pages.plan is not None and sl.pages.total is None else "R14"
            return self._as(r, alt, "stated pages → page limits"), False
        if ident.role != OFFICER and spec.answer == "action" and not _IMPERATIVE.search(t):
            alt = next(((i, sc) for i, sc in r.ranked if data.intent(i).answer not in ("action", "officer")), None)
            if alt:
                r = self._as(r, alt[0], "no data-changing verb: a question")
                spec = r.spec
                unsure = unsure and alt[1] < MIN_CONFIDENCE
        if ident.role == CONTACT and spec.answer == "own" and not re.search(r"为什么|几|多少|怎么", t):
            named = next((i for i in ("O5", "O6") if _subject_named(data.intent(i), t)), None) or (
                "O1" if _subject_named(data.intent("O1"), t) and _VALID_ASK.search(t) else None)
            if named:
                return self._as(r, named, "the open question's subject is named"), False
        if ident.role == CONTACT and spec.answer == "own" and (sl.own or sl.provinces or _OWN_FACT.search(t)
                                                              or _about_call(r)):
            unsure = False
        if ident.role == PUBLIC and spec.answer == "own" and not sl.own and not sl.provinces:
            alt = next((i for i, sc in r.ranked if data.intent(i).answer in ("rule", "open") and sc >= 0.08), None)
            if alt:
                return self._as(r, alt, "unbound, no 我们: not own data"), unsure
        if spec.answer == "rule" and (not spec.verdict or not _stated(sl)) and any(
                c in t and not self._rule_names(spec, c) for c in data.abstain_cues):
            return self._as(r, "abstain", f"the notice says nothing about this ({spec.id} related)"), False
        if spec.answer == "rule" and spec.family != "deadline" and _WHEN_ASK.search(t) and not self._dated(spec):
            return self._as(r, "abstain", f"asks when; the clauses of {spec.id} give no date"), False
        if unsure and spec.answer == "open":
            return r, False
        return r, unsure

    def _dated(self, spec) -> bool:
        """Whether the intent's own clauses give a date or time ("3月26日24时前"): only then can "什么时候" be answered."""
        for rid in spec.rules or (spec.id,):
            if rid.startswith("R"):
                clause, _ = self.call.clause(rid)
                if _DATE.search((self.call.rule(rid).text_zh or "") + (clause or "")):
                    return True
        return False

    def _rule_names(self, spec, cue: str) -> bool:
        """The intent's own rules say the cue word (R30 names 专家, R27 审查结果, R34 技能培训): a question about it is
        answered by the rule, not 通知未明确."""
        for rid in spec.rules or (spec.id,):
            if rid.startswith("R"):
                r = self.call.rule(rid)
                clause, _ = self.call.clause(rid)
                if cue in (r.text_zh or "") or cue in (clause or ""):
                    return True
        return False

    async def one(self, r: Reading, caller: Caller, ident: Identity, state: ChatState, ctx: "_Ctx"):
        if ident.role != OFFICER and changes_record(r.text, r.slots):
            log.info("refused: a %s asked to change the record", ident.role)
            return A.Refusal("record_change")
        unsure = not r.followup and (r.confidence < MIN_CONFIDENCE or (r.margin < MIN_MARGIN and r.confidence < 0.5))
        r, unsure = self.route(r, ident, unsure)
        spec = r.spec
        if spec.answer == "help":
            return A.Help(ident.role, ident.province)
        if spec.answer == "scope" or (unsure and not _about_call(r)):
            return A.ScopeAnswer(ident.role, ident.province)
        if unsure or spec.answer == "abstain":
            return self._abstain(r, unsure)
        if spec.answer == "open":
            return self._open(r)
        if spec.answer == "rule":
            return await self._rule(r, ident, state)
        if spec.answer == "own":
            return await self._own(r, ident, state, ctx)
        if spec.answer == "officer":
            if ident.role != OFFICER:
                return A.Refusal("officer_only")
            reg = await ctx.register(self.s)
            if spec.id == "officer_unidentified":
                if reg.unidentified:
                    state.subject = reg.unidentified[0].submission
                return own.unidentified_answer(self.call, reg)
            ov = own.overview_answer(self.call, reg, self.s.clock.now())
            if len(ov.late) == 1:
                state.province = ov.late[0]
            return ov
        if spec.answer == "action":
            if ident.role != OFFICER:
                return A.Refusal("officer_only")
            return await self._action(r, state, ctx)
        return A.Help(ident.role, ident.province, not_understood=True)

    # --- kinds -------------------------------------------------------------------------------------
    def _abstain(self, r: Reading, unsure: bool) -> A.AbstainAnswer:
        call = self.call
        related, opens = [], []
        if r.spec.id.startswith("O"):
            opens = [r.spec.id]
            related = [compose.rule_item(call, x) for x in r.spec.rules]
        else:
            rid = self._related_rule(r.text)
            if rid:
                related.append(compose.rule_item(call, rid))
        topic = r.spec.topic_zh if r.spec.id.startswith("O") else _topic(r.text)
        return A.AbstainAnswer(topic, compose.contacts(call), related, opens, unsure=unsure)

    def _related_rule(self, text: str) -> str | None:
        """The rule nearest to what was asked, once the words for what the notice lacks (模板, 什么时候 …) are
        taken out: offered as related, never as the answer."""
        t = text
        for c in sorted(self.u.data.abstain_cues, key=len, reverse=True):
            t = t.replace(c, " ")
        t = re.sub(r"什么时候|哪天|多久|有没有|能不能|能否|要不要|一份|发我|给我|是不是|吗|呢|啊", " ", t)
        if sum(1 for ch in t if "\u4e00" <= ch <= "\u9fff") >= 2:
            from bot.slots import extract

            for lab, sc in self.u.score(extract(t, self.call).canon):
                spec = self.u.data.intent(lab)
                if spec.answer in ("rule", "open") and spec.rules:
                    return spec.rules[0]
        return _nearest_rule(self.call, text)

    def _open(self, r: Reading) -> A.OpenAnswer:
        call = self.call
        o = next(x for x in call.open_questions if x.id == r.spec.id)
        ids = list(r.spec.rules)
        if r.spec.family == "pages" and (r.slots.pages.any or "30" in r.text or "超" in r.text):
            ids += ["R14"]
        ids += [rid for w, rid in (("行文", "R01"), ("联合", "R01"), ("执行情况", "R20"), ("纸质", "R07"))
                if w in r.text and rid not in ids]
        related = [compose.rule_item(call, x) for x in dict.fromkeys(ids)]
        return A.OpenAnswer(o.id, o.text_zh or o.text, o.practice_zh, compose.contacts(call), related)

    async def _rule(self, r: Reading, ident: Identity, state: ChatState):
        call, spec, sl = self.call, r.spec, r.slots
        if state.reading is not None and state.reading.spec.family == spec.family:
            carry_numbers(state.reading.slots, sl, sl.arabic, r.followup)     # "再加两页佐证呢": over the last numbers
        now = self.s.clock.now()
        iid = spec.id
        if spec.verdict == "quota" or iid == "R17":
            return self._quota(r, ident, state)
        if iid in ("R05", "R06", "countdown"):
            status = await compose.status_line(self.s, ident.province) if ident.role == CONTACT else None
            return self._deadline(r, now, status)
        if iid == "R04":
            return compose.mailboxes(call)
        if iid == "R35":
            return A.ContactsAnswer(compose.contacts(call))
        if iid == "materials":
            return compose.materials(call)
        if iid == "notice":
            return A.NoticeAnswer(call.doc_no, call.title, list(call.issuers), str(call.signed), str(call.published))
        items = [compose.rule_item(call, x) for x in spec.rules]
        v = None
        if spec.verdict in ("plan_pages", "total_pages"):
            pages = sl.pages
            if iid == "R13" and pages.plan is None and pages.total_stated is not None and not pages.parts:
                from bot.numbers import Pages

                pages = Pages({"plan": pages.total_stated}, None, pages.a3, pages.prior_report)
            v = verdicts.pages(call, pages)
            if iid == "R14":
                items.insert(0, compose.rule_item(call, "R12"))
            if v is not None and pages.total is not None and "R14" not in spec.rules:
                items.append(compose.rule_item(call, "R14"))
            if v is not None and pages.plan is not None and "R13" not in spec.rules:
                items.insert(0, compose.rule_item(call, "R13"))
        elif spec.verdict == "cap":
            v = verdicts.cap(call, sl.amount_wan, sl.amount_basis)
        elif spec.verdict == "period":
            v = verdicts.period(call, sl.months)
        if spec.family == "pages" and v is None:
            items = [compose.rule_item(call, x) for x in dict.fromkeys([*spec.rules, "R12", "R13", "R14"])]
        top = r.ranked[0][1] if r.ranked else 0
        for lab, sc in r.ranked[1:3]:
            other = self.u.data.intent(lab)
            if other.is_rule and other.family == spec.family and sc >= 0.4 * top and v is None \
                    and all(i.id != other.id for i in items):
                items.append(compose.rule_item(call, other.id))
        return A.RuleAnswer(items, verdict=v, topic=spec.topic_zh)

    def _deadline(self, r: Reading, now: datetime, own_status: str | None):
        call = self.call
        local_now = call.to_local(now)
        when = when_in(r.slots.arabic, local_now)
        ans = compose.deadline(call, now, own_status)
        ans.weekday = "星期" + verdicts.WEEKDAYS[call.to_local(call.deadline).__sub__(_SECOND).weekday()]
        ans.late_clause = compose.rule_item(call, "R06").clause
        if r.spec.id == "countdown":
            return ans
        if when is not None:
            statement = bool(re.search(r"截止(?:时间|日期)?(?:是|在|为|到)", r.text))
            ans.verdict = verdicts.deadline(call, when, now, statement=statement)
        elif r.spec.id == "R06" and _ASKING_ALLOWED.search(r.text):
            ans.verdict = A.Verdict(False, f"截止（{call.deadline_text}）之后发送的，{call.late_outcome}；通知没有宽限期",
                                    [f"截止：邮件须在 {verdicts.local_text(call, call.deadline)} 之前到达邮箱"])
        elif call.deadline <= now and any(w in r.text for w in ("来得及", "还能", "补发", "还可以", "补交")):
            ans.verdict = verdicts.deadline(call, _now_when(local_now), now)
        if r.spec.id == "R06" or (ans.verdict is not None and ans.verdict.ok is False):
            ans.rules = ["R05", "R06"]
        return ans

    def _quota(self, r: Reading, ident: Identity, state: ChatState):
        call, sl = self.call, r.slots
        units = {p.name for p in call.provinces}
        prov = sl.provinces[0] if sl.provinces else None
        cities = list(sl.cities)
        count = sl.count
        pending = state.ask_back == "quota"
        if (r.followup or pending) and state.reading is not None:
            if not prov:
                prov = state.province
            if sl.added and state.cities:
                cities = list(dict.fromkeys(state.cities + [c for c in cities if c not in state.cities]))
            elif sl.dropped and state.cities:
                cities = [c for c in state.cities if c not in sl.dropped] + [c for c in cities if c not in state.cities]
            elif not cities and (count or pending):
                cities = [] if count and not pending else list(state.cities)

            if pending and count is None and state.count and not cities:
                count = state.count
            if pending and cities and count is None and state.count and len(cities) != state.count and not sl.cities:
                count = None
        if state.reading is not None and state.reading.spec.family == "quota" and cities and state.cities \
                and set(cities) < set(state.cities) and not sl.count and not _ONLY.search(r.text) \
                and _STILL.search(r.text) and (not prov or prov == state.province):
            prov, cities = prov or state.province, list(state.cities)   # "武汉不是副省级吗 也不行": the list asked before
        if not prov and ident.role == CONTACT and (sl.own or not cities):
            prov = ident.province
        city_units = {c: sl.city_units.get(c) or state_unit(state, c) for c in cities}
        if not prov and cities:
            owners = {u for u in city_units.values() if u}
            if len(owners) == 1:
                prov = owners.pop()
        items = [compose.rule_item(call, "R15"), compose.rule_item(call, "R16")]
        state.province, state.cities, state.count = prov, cities, count
        if r.spec.id == "R17" and not cities:
            ask = _ASKING_ALLOWED.search(r.text)
            v = A.Verdict(False, "已被评为示范项目的城市不得再次申报") if ask else None
            return A.RuleAnswer([compose.rule_item(call, "R17")], verdict=v, topic="已入选城市再次申报")
        if prov and prov in units:
            others = {c: u for c, u in city_units.items() if u and u != prov}
            if others:
                state.ask_back = "quota"
                return A.AskBack("、".join(f"{c}属于{u}" for c, u in others.items()) +
                                 f"，不是{prov}的城市。请确认要问的是哪个省、报哪几个市。",
                                 f"{prov}：{'、'.join(cities)}", ["R15", "R16"])
        elif cities:
            owners = sorted({u for u in city_units.values() if u})
            state.ask_back = "quota"
            if len(owners) > 1:
                return A.AskBack("、".join(f"{c}属于{u}" for c, u in city_units.items() if u) +
                                 "，不在同一个省；每个省单独计算名额。请问是哪个省申报？", "、".join(cities), ["R15", "R16"])
        if cities and count is not None and count != len(cities):
            state.ask_back = "quota"
            return A.AskBack(f"您说共 {count} 个市，但列出的是 {len(cities)} 个（{'、'.join(cities)}）。请确认到底报哪几个市？",
                             f"{prov or ''}：{'、'.join(cities)}", ["R15", "R16"])
        if re.search(r"哪(?:几)?个省|哪些省", r.text):
            prov, cities, count = None, [], None
        if not prov:
            if (count and count > call.limits.quota_per_province) or cities:
                state.ask_back = "quota"
                return A.AskBack("请问是哪个省申报？名额按省计算（每省1个，含计划单列市的省申报计划单列市可再加1个）。",
                                 f"{count or len(cities)} 个市", ["R15", "R16"])
            state.ask_back = None
            v = None
            if "不报" in r.text and "单列" in r.text:
                v = A.Verdict(False, "不申报计划单列市的，不能增加名额（只有申报计划单列市才可再增加1个）")
            cps = "、".join(f"{cp.city}（{cp.province}）" for cp in call.cp_cities)
            return A.QuotaAnswer(None, cps, [], None, None, [], items, v)
        state.ask_back = None
        pv = call.province(prov)
        v = verdicts.quota(call, prov, cities, None if cities else count)
        prev = verdicts.previously_selected(call, cities)
        later = [(c, rnd.year) for rnd in call.selected for c, _ in rnd.cities if c in cities and (c, rnd.year) not in prev]
        if prev or later:
            items.append(compose.rule_item(call, "R17"))
        if later and v is not None:
            v.lines.append("；".join(f"{c}在{y}年入选（晚于本次申报），不属于“已被评为示范项目”，不影响本次申报" for c, y in later))
        q = verdicts.quota_limit(call, prov, cities)[0] if cities else (
            call.limits.quota_per_province + (call.limits.quota_extra_if_applying_for_cp_city if pv.cp_city else 0))
        if v is not None and v.ok is not None and not cities:
            pass
        return A.QuotaAnswer(prov, pv.cp_city, cities, q, v.ok if v else None, prev, items, v)

    async def _own(self, r: Reading, ident: Identity, state: ChatState, ctx: "_Ctx"):
        call, sl = self.call, r.slots
        if ident.role == PUBLIC:
            return A.Refusal("not_bound")
        asked = list(sl.provinces)
        for c in sl.cities:
            u = sl.city_units.get(c)
            if u and u not in asked:
                asked.append(u)
        if ident.role == CONTACT:
            other = next((p for p in asked if p != ident.province), None)
            if other:
                log.info("refused: contact of %s asked for %s", ident.province, other)
                return A.Refusal("other_province", asked=other, own=ident.province)
            reg = await ctx.register(self.s, ident.province)
            return own.dossier_answer(call, self.u.data, reg, ident.province, self.s.clock.now(), r.spec.id, r.text)
        prov = asked[0] if asked else None
        if prov is None and (r.followup or "它" in r.text or "他们" in r.text) and state.province:
            prov = state.province
        reg = await ctx.register(self.s, prov)
        if prov is None:
            if any(w in r.text for w in ("张伟", "未识别", "不明", "无主", "没认领")):
                return own.unidentified_answer(call, reg)
            return own.overview_answer(call, reg, self.s.clock.now())
        state.province = prov
        return own.dossier_answer(call, self.u.data, reg, prov, self.s.clock.now(), r.spec.id, r.text,
                                  officer_view=True)

    async def _action(self, r: Reading, state: ChatState, ctx: "_Ctx"):
        call, sl, t = self.call, r.slots, r.text
        reason = r.text.replace(" ", "")[:60]
        iid = r.spec.id
        if iid == "action_assign" or (sl.refs and sl.provinces and iid != "action_paper"):
            ref = sl.refs[0] if sl.refs else None
            if ref is None:
                reg = await ctx.register(self.s)
                if len(reg.unidentified) == 1:
                    ref = reg.unidentified[0].submission
                elif state.subject:
                    ref = state.subject
            if not sl.provinces or ref is None:
                return A.AskBack("请写明要归入哪个省、哪一封（编号 S…/R…）。", t, [])
            prov = sl.provinces[-1]
            return self._propose(state, [("assign", [ref, prov, reason])],
                                 f"把 {ref} 归入{prov}（理由：{reason}）")
        provs = sl.provinces or ([state.province] if state.province and ("他们" in t or "它" in t) else [])
        if not provs:
            return A.AskBack("请写明是哪个省。", t, [])
        if iid == "action_paper" or "纸质" in t or "纸件" in t:
            local = call.to_local(self.s.clock.now())
            day = sl.day or (when_in(sl.arabic, local).at.date() if when_in(sl.arabic, local) else local.date())
            tracking = sl.tracking or "无"
            cmds = [("paper_copy", [p, day.isoformat(), tracking]) for p in provs]
            return self._propose(state, cmds, "登记纸质版已收到：" + "、".join(provs) + f"（{day.isoformat()}，单号 {tracking}）")
        status = "filed"
        if "逾期" in t and not any(w in t for w in ("撤", "取消", "去掉")):
            status = "late"
        elif "未申报" in t:
            status = "not_filed"
        elif any(w in t for w in ("清除", "恢复", "自动判定")):
            status = "clear"
        note = ""
        if any(w in t for w in ("撤", "去掉", "取消", "删")) and "逾期" not in t:
            note = "没有撤销单条预审提示的命令；下面的命令人工改判该省状态为“已申报”，提示仍保留在记录中。"
        cmds = [("override", [p, status, reason]) for p in provs]
        return self._propose(state, cmds, "人工改判：" + "、".join(provs) + f" → {status}（理由：{reason}）", note)

    def _propose(self, state: ChatState, cmds: list[tuple[str, list[str]]], summary: str, note: str = ""):
        shown = "；".join(_command_text(i, a) for i, a in cmds)
        state.action = PendingAction("multi", [f"{i}\t" + "\t".join(a) for i, a in cmds], shown)
        return A.ConfirmAction(shown, summary, note)

    async def _pending(self, caller: Caller, text: str, state: ChatState):
        t = text.strip().lower().rstrip("。.!！")
        act = state.action
        if t in CANCEL_WORDS or any(t.startswith(w) for w in CANCEL_WORDS[:4]):
            state.action = None
            return A.ActionDone(f"已取消：{act.command}")
        if t in CONFIRM_WORDS or t.startswith(("确认", "确定", "执行")):
            from bot import officer_cmds

            state.action = None
            results = []
            for line in act.args:
                intent, *args = line.split("\t")
                results.append(await officer_cmds.run(self.s, intent, args, caller.actor))
            return results[0] if len(results) == 1 else A.MultiAnswer(results)
        state.action = None                 # anything else: the proposal lapses, the message is read as new
        return None


_SECOND = __import__("datetime").timedelta(seconds=1)
_CMD = {"assign": "/assign", "paper_copy": "/paper", "override": "/override"}


def _command_text(intent: str, args: list[str]) -> str:
    return " ".join([_CMD.get(intent, intent), *args])


def _now_when(local_now):
    from bot.when import When

    return When(local_now, False, False, False, "现在")


def state_unit(state: ChatState, city: str) -> str | None:
    r = state.reading
    if r is not None and city in getattr(r.slots, "city_units", {}):
        return r.slots.city_units[city]
    return None


_STILL = re.compile(r"也|不是.{0,10}吗|难道|还是不行")
_ONLY = re.compile(r"只|单|光|就报|仅")
_MINISTRY = re.compile(r"邮箱|财政部|人社部|人社|财政|163")
_VALID_ASK = re.compile(r"也算|算不算|算数|算交|算提交|算报|算申报|有效|认不认|行不行|可以吗|能不能|没问题吧|应该")  # is it valid?
_WHEN_ASK = re.compile(r"什么时候|啥时候|何时|哪天|几月份?|几号|哪一年|哪年|多久能|多久出|多长时间能")
_DATE = re.compile(r"\d+\s*(?:年|月|日|时)|[一二三四五六七八九十]+月|同时|之前|以前|之后|以后|届时")
_TO_PROVINCE = re.compile(r"(?:给|归|划|算|转|分)(?:到|给|入|成|为)?了?\s*(?:[\u4e00-\u9fff]{2,3}省|[\u4e00-\u9fff]{2,3}$|"
                          r"[\u4e00-\u9fff]{2}(?=\s|吧|的|$))")
_PAPER_ARRIVED = re.compile(r"(?:纸质|纸件|原件|纸版)[^?？]{0,8}(?:收到|到了|已到|寄到|送到|到部|签收)")
_SET_ASIDE = re.compile(r"忽略|不用管|不管了|豁免|不予考虑|不计|不算问题|免了|放过|别管|不作数")
_CHECKING = re.compile(r"超了|超没超|超过了|合规|合格|有没有超|是不是超")
_OWN_FACT = re.compile(r"收到|到了|几点|哪天|登记|系统|记录|状态|算我们|判我们|(?<!不)报了|交了|补上|晚了|逾期了|超了|几次|"
                       r"算了多少|一共算|算的是|算出|算按时|算逾期|算迟到|超页了|超了页")
_OPEN_ASK = re.compile(r"可以吗|能不能|行不行|可不可以|能否|行吗|能报|可以报")
_QUOTA_ASK = re.compile(r"名额|报几个|能报|可以报|几个市|算一个省")


def _one_record(readings: list[Reading]) -> list[Reading]:
    """Questions about the same record in one message ("江苏几点收到的 报的哪个市", "未识别那封是谁发的 几点") are
    one answer: the record shows both. Different records or different kinds of answer stay separate parts."""
    out: list[Reading] = []
    for r in readings:
        p = out[-1] if out else None
        if p is not None and p.spec.answer == r.spec.answer == "own" and (
                not r.slots.provinces or r.slots.provinces == p.slots.provinces):
            continue
        if p is not None and p.spec.answer == r.spec.answer == "officer" and p.intent == r.intent:
            continue
        out.append(r)
    return out


def state_has_province(r) -> bool:
    return bool(r.followup)


def _bigrams(t: str) -> set[str]:
    cs = [c for c in t if "\u4e00" <= c <= "\u9fff"]
    return {a + b for a, b in zip(cs, cs[1:])}


_RULE_GRAMS: dict[str, tuple] = {}


def _nearest_rule(call, text: str) -> str | None:
    """The rule whose own words (the notice's clause and its Chinese summary) share the most rare character
    pairs with the question: what an abstain answer offers as related, never as the answer."""
    import math

    key = call.id
    if key not in _RULE_GRAMS:
        grams = {r.id: _bigrams(f"{r.clause} {r.text_zh}") for r in call.rules if r.id != "R35"}
        df: dict[str, int] = {}
        for g in grams.values():
            for b in g:
                df[b] = df.get(b, 0) + 1
        _RULE_GRAMS[key] = (grams, {b: math.log(1 + len(grams) / n) for b, n in df.items()})
    grams, idf = _RULE_GRAMS[key]
    q = _bigrams(text)
    best, score = None, 0.0
    for rid, g in grams.items():
        sc = sum(idf[b] for b in q & g)
        if sc > score:
            best, score = rid, sc
    return best


_IMPERATIVE = re.compile(r"把|帮我|给我|登记|归到|归给|改成|改为|撤|去掉|删掉|划给|算给")


def _unnamed(t: str, ident) -> str:
    """``t`` without the asker's own unit ("兵团这边你们收到啥了没" from 兵团's contact is about its record, not O3)."""
    if not ident.province:
        return t
    short = "兵团" if ident.province.endswith("兵团") else re.sub(r"(?:省|市|自治区|壮族|回族|维吾尔)+$", "", ident.province)
    return t.replace(ident.province, "").replace(short, "")


def _subject_named(spec, text: str) -> bool:
    """The open question's own subject is in the message (超大附件/链接 for O6): it stays the open question."""
    return spec.answer == "open" and any(w in text for w in spec.subjects)


def _stated(sl) -> bool:
    return sl.pages.any or sl.amount_wan is not None or sl.months is not None


def _topic(text: str) -> str:
    t = re.sub(r"^(?:老师|您好|你好|请问|请教|麻烦问下|问一下)+", "", text.strip())
    return t[:40] or text[:40]


_DOMAIN = ("申报", "评审", "名额", "专家", "材料", "方案", "预算", "绩效", "补助", "资金", "项目", "示范", "入选", "截止",
           "邮箱", "纸质", "页", "附件", "佐证", "城市", "地市", "财政", "人社", "省", "通知", "名单", "拨付", "下达", "模板",
           "格式", "公示", "答辩", "形式审查", "提纲", "报送", "盖章")


def _about_call(r: Reading) -> bool:
    return any(w in r.text for w in _DOMAIN) or bool(r.slots.provinces or r.slots.cities)


def _remember(state: ChatState, r: Reading, ans) -> None:
    state.reading = r
    if r.slots.provinces and not isinstance(ans, A.Refusal):
        state.province = state.province if r.spec.family == "quota" and state.province else r.slots.provinces[0]
        if r.spec.family != "quota":
            state.province = r.slots.provinces[0]
    if not isinstance(ans, A.AskBack) and r.spec.family == "quota":
        state.ask_back = None if not isinstance(ans, A.AskBack) else state.ask_back


class _Ctx:
    """What one message needs once: the register is built at most once per message."""

    def __init__(self):
        self._regs: dict = {}

    async def register(self, services: Services, province: str | None = None):
        """The whole register (officers' views) or one province's row; the whole one serves both."""
        if None in self._regs:
            return self._regs[None]
        if province not in self._regs:
            self._regs[province] = await own.register(services, province)
        return self._regs[province]
