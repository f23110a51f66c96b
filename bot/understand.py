"""From a message to readings: split into questions, classify each (classifier + BM25, with a confidence and a
margin), fill slots, resolve follow-ups against the chat's dialogue state, let open questions outrank verdicts.

Splitting: hard separators (？ 。 ！ ; 另外 顺便 numbered items) always end a question; spaces and commas are
candidates, kept only when the parts are each understood better than the whole (a small search over the
partitions, each part scored by its confidence, a penalty per extra part). A short part that only adds slots or
ends in 呢 ("总共呢", "浙江呢", "那30个月行吗") is a follow-up: it is read within the previous question's family.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache
from collections import Counter
from itertools import combinations
from pathlib import Path

from config.call import CallConfig
from config.understanding import IntentSpec, Understanding, load_understanding

from bot.features import VERSION as FEATURES_VERSION
from bot.model import Model, Scores, load_or_train
from bot.slots import Slots, decided_by_slots, extract

# a reading below this confidence is not trusted: abstain (about the call) or scope (not about it)
_SIG_W = 0.1            # pull of each signature bigram (at most two) towards its intent
MIN_CONFIDENCE = 0.30
MIN_MARGIN = 0.06
SPLIT_PENALTY = 0.45
_HARD = re.compile(r"[?!;\n]+|(?:顺便问一下|顺便问下|还有个问题|再问一下|再问个|还想问|另问)")
# WeCom users end a question with a space: after a question's last word ("…行吗 …", "…多少 …") a space ends it
# when what follows asks something too and does not continue it ("还是…"); "另外" after a space starts the next
# question when the one before it asks.
_ENDS = re.compile(r"(?:(?<=[吗呢么嘛没啥])|(?<=[^\s要]不)|(?<=多少)|(?<=什么)|(?<=哪里)|(?<=哪儿)|(?<=几页)|(?<=几点)"
                   r"|(?<=谁[\u4e00-\u9fff]))\s+"
                   r"(?!呢|还是|或者|或是|而且|并且|还要|要不|因为|所以)|\s+另外(?:问一下|问下|再问|问)?")
_CONTINUE = ("还是", "或者", "而且", "并且", "那", "是不是", "是否", "因为", "所以", "但是", "不过")
_ASKS = re.compile(r"[吗呢么嘛吧?]|还是|什么|啥|几|多少|多久|多长|哪|谁|怎么|咋|是否|能不能|能否|可不可以|可以不|行不行|有没有|"
                   r"要不要|算不算|是不是|会不会|够不够|超没超|超了没|对不对|如何|有无|可以|行|能报")
_NUMBERED = re.compile(r"(?:(?<=\s)|^)(?:\d|[①②③④⑤])(?=[\u4e00-\u9fff])")
_SOFT = re.compile(r"[\s,]+|(?<!\d)\.+|\.+(?!\d)|(?=另外)|(?=顺便)")
_FOLLOW_HEAD = ("那", "那么", "那要是", "要是", "如果", "再", "换成", "改成", "假如", "那如果", "还有")
_FILLER = re.compile(r"那么|那要是|要是|如果|假如|那|呢|吗|吧|啊|呀|么|行不行|行吗|可以吗|可不可以|可以不|能不能|行|可以|能|"
                     r"的话|的|了|再|加上|加|一个|换成|改成|不报|报|推|是|我们|申请|写|做|压到|改|怎么样|情况|咋样|如何|"
                     r"怎么说|又|还|也|都|就|只|这个|那个|呢|哦|嗯|好|对|说错了|是不是")
_GREETING = re.compile(r"^(?:老师|您好|你好|老师好|请问|请教|请教下|请教一下|打扰一下|打扰了|麻烦问下|麻烦问一下|麻烦|问一下|"
                       r"问下|处长让我问一下|领导让我问|hi|hello|在吗|谢谢|谢谢老师|[一二两三四五六七八九\d]个问题|几个问题|"
                       r"问几个问题|有几个问题)+$")


@dataclass
class Reading:
    intent: str
    spec: IntentSpec
    confidence: float
    margin: float
    slots: Slots
    text: str
    ranked: list[tuple[str, float]] = field(default_factory=list)
    followup: bool = False
    why: str = ""                                 # how it was decided (for logs and tests)


class Understander:
    def __init__(self, call: CallConfig, cache_dir: Path | None = None):
        self.call = call
        self.cache_dir = cache_dir
        self.data: Understanding = load_understanding(call)
        self._model: Model | None = None

    @property
    def model(self) -> Model:
        if self._model is None:
            self._model = load_or_train(self.cache_dir, f"{self.data.digest}-{FEATURES_VERSION}", self._corpus)
        return self._model

    def _corpus(self):
        out = []
        rules = {r.id: r for r in self.call.rules}
        for spec in self.data.intents:
            texts = list(spec.paraphrases)
            if spec.is_rule and spec.id in rules:
                texts.append(rules[spec.id].text_zh)
            for t in texts:
                out.append((extract(_norm(t), self.call).canon, spec.id))
        return out, list(self.data.ids())

    # --- scoring ---------------------------------------------------------------------------------
    def score(self, canon: str) -> list[tuple[str, float]]:
        """Combined score per intent, best first: classifier probability with BM25 agreement."""
        s: Scores = self.model.score(canon)
        top_bm = max(s.bm25) if s.bm25 else 0.0
        out = []
        for lab, p, b in zip(s.labels, s.probs, s.bm25):
            rel = (b / top_bm) if top_bm > 0 else 0.0
            strength = min(1.0, top_bm / 6.0)
            out.append((lab, 0.75 * p + 0.25 * rel * strength * (1.0 if p > 0.02 else 0.3)))
        sig = self.model.signatures
        pulled = Counter(sig[canon[i:i + 2]] for i in range(len(canon) - 1) if canon[i:i + 2] in sig)
        if pulled:
            out = [(lab, sc + _SIG_W * min(2, pulled.get(lab, 0))) for lab, sc in out]
        out.sort(key=lambda x: -x[1])
        return out

    # --- reading a message -----------------------------------------------------------------------
    def read(self, text: str, state=None) -> list[Reading]:
        """The questions in normalised ``text``, in order (at least one)."""
        segments = [g for g in _hard_split(text, self._off_topic) if g.strip()]
        if len(segments) > 1:
            segments = [g for g in segments if not _GREETING.match(g.replace(" ", ""))] or segments
        if len(segments) > 1:
            segments = _joined(segments)
        readings: list[Reading] = []
        for seg in segments:
            for part in self._partition(seg):
                prev = readings[-1] if readings else (state.last_reading() if state else None)
                readings.append(self._read_part(part, prev, carry=readings[-1] if readings else None))
        content = [r for r in readings if r.spec.answer != "help"]
        if content:
            readings = content
        return _dedupe(readings) or [self._read_part(text, None)]

    def _off_topic(self, t: str) -> bool:
        lab, conf = self.score(extract(t, self.call).canon)[0]
        return self.data.intent(lab).answer == "scope" and conf >= 0.7

    def _partition(self, seg: str) -> list[str]:
        chunks = [c for c in _SOFT.split(seg) if c]
        if len(chunks) <= 1:
            return [seg.strip()]
        if len(chunks) > 7:
            chunks = chunks[:6] + [" ".join(chunks[6:])]
        n = len(chunks)
        memo: dict[tuple[int, int], tuple[str, float, str, bool, bool]] = {}

        def group(i: int, j: int):
            """(label, confidence, family, asks, question-like) of chunks i..j read as one question."""
            if (i, j) not in memo:
                t = " ".join(chunks[i:j])
                slots = extract(t, self.call)
                lab, conf = self.score(slots.canon)[0]
                spec = self.data.intent(lab)
                asks = bool(_ASKS.search(t.replace("还是", ""))) or (spec.answer == "officer" and (
                    conf >= 0.7 or bool(_SHOW_ME.search(t))))
                if not asks and "还是" in t and i == 0:
                    asks = True
                standalone = _topical(t, numbers=True) or bool(slots.provinces or slots.cities or slots.refs) \
                    or t.endswith("呢")
                continues = i > 0 and (t.startswith(_CONTINUE) or ("还是" in t and not _ASKS.search(t.replace("还是", ""))))
                valued = bool(spec.verdict) and (slots.pages.any or slots.amount_wan is not None
                                                 or slots.months is not None)
                if _GREETING.match(t.replace(" ", "")):
                    lab, conf = "hello", 0.0
                elif t.endswith("呢") and _is_elliptic(t, slots) and j - i == 1:
                    lab, conf = "~" + lab, max(conf, 0.8)      # a follow-up inside the message ("总共呢")
                ok = (asks or valued) and (standalone or i == 0) and not continues
                kinds = frozenset(k for k, v in (("pages", slots.pages.any), ("amount", slots.amount_wan is not None),
                                                 ("months", slots.months is not None)) if v)
                memo[(i, j)] = (lab, conf, spec.family, asks, ok, spec.answer == "open", kinds)
            return memo[(i, j)]

        best, best_score = [(0, n)], group(0, n)[1]
        for k in range(1, n):
            for cuts in combinations(range(1, n), k):
                bounds = [0, *cuts, n]
                groups = [group(a, b) for a, b in zip(bounds, bounds[1:])]
                content = [g for g in groups if g[0] != "hello"]
                if len(content) < 2 or any(g[1] < 0.5 or not g[4] for g in content):
                    continue
                if any(a[0] == b[0] or (a[2] == b[2] and not (a[3] and b[3])) or (a[2] == b[2] and (a[5] or b[5]))
                       or (a[6] & b[6]) for a, b in zip(content, content[1:])):
                    continue
                score = sum(g[1] for g in content) - SPLIT_PENALTY * (len(content) - 1)
                if score > best_score + 1e-9:
                    best, best_score = list(zip(bounds, bounds[1:])), score
        parts = [" ".join(chunks[a:b]) for a, b in best]
        merged: list[str] = []
        for p in parts:                                   # a greeting before a question belongs to it
            if merged and _GREETING.match(merged[-1].replace(" ", "")):
                merged[-1] = merged[-1] + " " + p
            else:
                merged.append(p)
        return merged

    def _read_part(self, t: str, prev: Reading | None, carry: Reading | None = None) -> Reading:
        t = _without_greeting(t)
        slots = extract(t, self.call)
        if carry is not None and carry.slots.pages.prior_report and "页" in t and not slots.pages.parts:
            slots.pages.prior_report = True          # "执行情况报告谁要交 算不算在30页里": the report is still meant
        elif carry is None and prev is not None and (prev.slots.pages.prior_report or "R20" in (prev.intent, *prev.spec.rules)) \
                and "页" in t and not slots.pages.parts and re.search(r"这个|那个|这份|那份|它|该|报告|^(?:那)?(?:算不算|算在|计入|计不计|包不包括|占不占)", t):
            slots.pages.prior_report = True          # after a question on the 执行情况报告: "这个报告算在30页里吗"
        ranked = self.score(slots.canon)
        (lab, conf), (_, second) = ranked[0], ranked[1]
        why = "classifier"
        rest = _NOTICE_FRAME.sub(" ", t) if lab == "notice" else ""
        if sum(1 for ch in rest if "\u4e00" <= ch <= "\u9fff") >= 2:   # "通知对X有什么说法": the rule on X
            inner = self.score(extract(rest, self.call).canon)
            if self.data.intent(inner[0][0]).is_rule and inner[0][1] >= 0.35:
                ranked, why = inner, "the notice on a topic: the topic's rule"
                (lab, conf), (_, second) = ranked[0], ranked[1]
        follow = False
        if prev is not None and _is_elliptic(t, slots):
            fam = prev.spec.family
            members = {i.id for i in self.data.family(fam)}
            own_top = self.data.intent(lab)
            marked = t.endswith("呢") or t.startswith(_FOLLOW_HEAD) or len(t.replace(" ", "")) <= 6
            short = t.replace(" ", "")
            bare = bool(_BARE_ASK.match(short)) or prev.spec.answer in ("own", "officer") and (
                # "那预算表呢" after a question on our record: that document of ours
                (marked and len(short) <= 8 and not _ASKS.search(short.replace("呢", "")) and _RECORD_PART.search(short))
                # "发件人是谁" after the unidentified mail: a detail of that mail
                or (len(short) <= 6 and _ASKS.search(short) and not _topical(short, numbers=True)))
            if members and (bare or not (conf >= 0.6 and own_top.family != fam and _topical(t)) and not (
                    conf >= 0.5 and own_top.family != fam and not marked)):
                if bare and prev.spec.answer in ("own", "officer"):
                    lab, why = prev.intent, "follow-up: one more detail of the same record"
                elif _only_slots(t, slots) and not _topical(t):
                    lab, why = prev.intent, "follow-up: same question, new slots"
                else:
                    within = [(i, s) for i, s in ranked if i in members]
                    lab, why = within[0][0], f"follow-up within {fam}"
                conf, follow = max(conf, 0.6), True
        if follow and (slots.cities or slots.count) and self.data.intent(lab).family != "quota":
            lab, why = "R15", why + "; cities → quota"
        if follow and lab == "O3" and slots.provinces and "兵团" not in t and not slots.counties and all(
                p.type in ("省", "自治区") for p in self.call.provinces if p.name in slots.provinces):
            lab, why = "R15", why + "; an ordinary province: the quota rule"
        before = why
        new, why = self._by_slots(lab, conf, ranked, slots, t, why)
        if why != before:
            conf = max(conf, 0.6)                    # typed slots decided it
        lab = new
        spec = self.data.intent(lab)
        new, why = self._open_outranks(lab, spec, ranked, slots, t, why)
        if new != lab and "open:" in why:
            conf = max(conf, 0.8)                    # the open question's subject is in the slots
        lab = new
        spec = self.data.intent(lab)
        if carry is not None and carry.spec.answer == "open" and spec.family == carry.spec.family and \
                spec.answer != "open" and not (slots.provinces or slots.cities or slots.counties) \
                and not _SUBJECT.search(t):
            lab, spec, why = carry.intent, carry.spec, why + f"; the open question {carry.intent} goes on"
        return Reading(lab, spec, conf, conf - second, slots, t, ranked[:5], follow, why)

    def _by_slots(self, lab: str, conf: float, ranked, slots: Slots, t: str, why: str):
        """Typed slots decide between intents of a family: a stated period is the period rule, a stated central
        amount the cap, page counts the page limits; when the classifier is unsure, a stated time to send is
        the deadline. Own-data intents need no numbers from the asker: numbers make it a rule question."""
        spec = self.data.intent(lab)
        answer = spec.answer
        if answer == "open" and not any(w in t for w in spec.subjects):
            answer = "unsure"                # an open question whose subject the message does not name
        decided = decided_by_slots(slots, t, spec.family, answer, bool(spec.verdict))   # bot/slots.py
        if decided and decided != lab:
            return decided, why + f"; slots decide → {decided}"
        valued = {"period": slots.months is not None, "money": slots.amount_wan is not None,
                  "pages": slots.pages.any}
        fam_of_slot = next((f for f, v in valued.items() if v), None)
        target = {"period": "R19", "money": "R18", "pages": "R13" if slots.pages.plan is not None and
                  slots.pages.total is None else "R14"}
        if spec.family in valued and not spec.verdict and valued.get(spec.family):
            return target[spec.family], why + f"; stated {spec.family} → verdict"
        if spec.family == "deadline" and fam_of_slot == "period" and _RANGE_WORDS.search(t):
            return "R19", why + "; a period, not a time to send"
        if not spec.verdict and fam_of_slot and _ASKS.search(t) and spec.family in ("materials", "pages", "plan"):
            return target[fam_of_slot], why + f"; stated {fam_of_slot} → verdict"
        if (conf < 0.5 or spec.answer in ("scope", "help", "abstain")) and spec.answer not in ("own", "officer", "action"):
            if fam_of_slot:
                return target[fam_of_slot], why + f"; unsure, stated {fam_of_slot}"
            if _SEND.search(t) and _WHEN_WORDS.search(slots.arabic):
                return "R05", why + "; unsure, a time to send"
            if slots.cities and ("报" in t or slots.count):
                return "R15", why + "; unsure, cities to apply with"
        return lab, why

    def _open_outranks(self, lab: str, spec: IntentSpec, ranked, slots: Slots, t: str, why: str):
        """Open questions outrank computed verdicts: when the slots show an open question's subject (兵团, a
        直辖市 district, A3 pages, the 执行情况报告 in the page count), or an open question of the same family
        scores close to the top, the open question answers."""
        call = self.call
        fam = spec.family
        cps = {cp.city for cp in call.cp_cities}
        if (fam == "quota" or spec.id in ("R01", "R26")) and any(c in cps for c in slots.cities) and _ON_ITS_OWN.search(t):
            return "O4", why + "; open: 计划单列市单独报送"
        if fam == "quota" or spec.id in ("R15", "R16"):
            types = {p.name: p.type for p in call.provinces}
            if any(types.get(p) == "兵团" for p in slots.provinces) or "兵团" in t:
                return "O3", why + "; open: 兵团"
            if any(types.get(p) == "直辖市" for p in slots.provinces) and (
                    slots.counties or re.search(r"[区县](?!别)", t.replace("地区", ""))):
                return "O3", why + "; open: 直辖市的区县"
        if spec.answer != "own" and (fam in ("pages", "materials") or spec.id in ("R12", "R13", "R14", "R20")):
            if slots.pages.a3 and fam == "pages":
                return "O5", why + "; open: 非A4页面"
            if slots.pages.prior_report and ("页" in t) and spec.id != "O5":
                return "O2", why + "; open: 执行情况报告与30页"
        if spec.verdict or spec.is_rule:
            top = ranked[0][1]
            for i, s in ranked[1:3]:
                other = self.data.intent(i)
                if other.answer == "open" and other.family == fam and s >= 0.85 * top and fam != "quota":
                    return i, why + f"; open {i} close to the top"
        return lab, why


# what a question is about, beyond its attributes (名额, 页数 …): a part naming one is a question of its own
_SUBJECT = re.compile(r"计划单列市|单列市|直辖市|兵团|副省级|地市|区县|方案|预算表|绩效|佐证|请示|申报文件|执行情况|纸质|邮箱|另外|"
                      r"一个省|每个省|各省|一省")
_NOTICE_FRAME = re.compile(r"(?:这个|这次|本次)?(?:文件|通知|文里)(?:里|中|上|里面)?(?:对|关于|在|就)?|"
                           r"(?:有|都有)?(?:什么|啥|哪些|怎么)(?:说法|规定|要求|讲|写的|说的|提法)|怎么说|的?规定")
_RECORD_PART = re.compile(r"方案|预算|绩效|佐证|请示|报告|材料|附件|页数|文件|回执|纸质")
_SHOW_ME = re.compile(r"看下|看一下|看看|查下|查一下|查查|列一下|列下|发下|发一下|说下|说一下|报一下|给我")
_ON_ITS_OWN = re.compile(r"自己|单独|直接|独立|不走|绕开|绕过|自行|单列.{0,4}名额|自己的名额")
_SEND = re.compile(r"发|交|报送|寄|送|提交|传")
_WHEN_WORDS = re.compile(r"今天|今晚|明天|明早|明晚|后天|周|星期|礼拜|点|:|小时|分钟|号|上午|下午|晚上|早上|现在|下班")
_RANGE_WORDS = re.compile(r"到|至|干到|做到")


def _norm(t: str) -> str:
    from bot.normalize import normalize

    return normalize(t)


def _joined(segments: list[str]) -> list[str]:
    """After a hard separator: "…谁负责？省里还是市里" goes on with the question before it (alternatives naming no
    topic of their own); "…附啥材料？我怕漏了" ends with a remark that asks nothing, which is dropped."""
    out: list[str] = []
    for g in segments:
        bare = g.replace(" ", "")
        if out and re.fullmatch(r"(?:是|到底是)?[\u4e00-\u9fff]{1,5}还是[\u4e00-\u9fff]{1,5}(?:呢|啊|呀)?", bare):
            out[-1] = out[-1] + " " + g
        elif out and not _asks(bare) and len(bare) <= 8 and not _topical(bare, numbers=True) \
                and not re.search(r"\d|[一二两三四五六七八九十]", bare):
            continue
        else:
            out.append(g)
    return out or segments


def _asks(t: str) -> bool:
    t = t.strip()
    return bool(_ASKS.search(t) or re.search(r"怎样|咋办|怎么办|咋整", t)) or t.endswith(("呢", "没", "不", "没有"))


def _ended(p: str, off_topic=None) -> list[str]:
    """``p`` cut where a question visibly ends (``_ENDS``), each cut kept only when both sides ask and what follows
    names a topic of its own (or is plainly not about the call: ``off_topic``); "…必须的吗 要放些啥" is one question."""
    out: list[str] = []
    last = 0
    for m in _ENDS.finditer(p):
        before, after = p[last:m.start()], p[m.end():]
        nxt = _ENDS.split(after, maxsplit=1)[0]
        if _asks(before) and (_asks(nxt) or _SHOW_ME.search(nxt)) and (_topical(nxt, numbers=True) or
                                                                        (off_topic is not None and off_topic(nxt))):
            out.append(before)
            last = m.end()
    out.append(p[last:])
    return out


def _hard_split(text: str, off_topic=None) -> list[str]:
    parts = [q for p in _HARD.split(text) for q in _ended(p, off_topic)]
    out = []
    for p in parts:
        marks = list(_NUMBERED.finditer(p))
        if len(marks) >= 2:
            bounds = [m.start() for m in marks] + [len(p)]
            head = p[:bounds[0]]
            if head.strip():
                out.append(head)
            out.extend(p[a + 1:b] for a, b in zip(bounds, bounds[1:]))
        else:
            out.append(p)
    return [p.strip() for p in out if p and p.strip()]


def _without_greeting(t: str) -> str:
    """"老师好 我们的材料收到了没" is the question after the greeting; a greeting alone stays a greeting."""
    words = t.split(" ")
    for k in range(len(words) - 1, 0, -1):
        if _GREETING.match("".join(words[:k])):
            return " ".join(words[k:])
    return t


_BARE_ASK = re.compile(r"^(?:那|还有)?(?:几点|几号|哪天|多少|多少页|几页|几个|哪个|哪些|哪里|哪儿|是谁|谁|什么时候|啥时候|为啥|为什么)"
                       r"(?:呢|啊|的|了)?$")


def _only_slots(t: str, slots: Slots) -> bool:
    rest = t
    for forms in slots.forms.values():
        for f in forms:
            rest = rest.replace(f, "")
    from bot.slots import gazetteer

    for m in reversed(gazetteer().mentions(rest)):
        rest = rest[:m.start] + rest[m.end:]
    rest = re.sub(r"\d+(?:\.\d+)?\s*(?:个)?\s*(?:半)?\s*(?:亿|万|页|个月|月|年|个|市|点|号)?", "", slots.arabic
                  if not slots.forms and not slots.cities else rest)
    rest = re.sub(r"[一二两三四五六七八九十百千万亿半零]+\s*(?:个)?\s*(?:亿|万|页|个月|月|年|个|市|点)", "", rest)
    rest = _FILLER.sub("", rest)
    rest = re.sub(r"[\s,.?!:;()]+", "", rest)
    return len(rest) <= 1


_TOPICAL = ("页", "邮箱", "截止", "纸质", "名额", "补助", "实施期", "期限", "方案", "预算", "绩效", "佐证", "联系",
            "电话", "地址", "a3", "执行情况", "链接", "附件", "逾期", "状态", "缺", "城市", "市", "盖章", "扫描", "word",
            "材料", "评审", "专家", "模板", "格式", "结果", "公布", "资金", "钱", "报告", "行文", "政府", "邮件", "错误",
            "警告", "截至", "deadline", "天气", "笑话", "省", "审", "名单", "入选", "报告", "几号", "几点", "寄", "未识别", "身份不明",
            "来路不明", "总览", "概况", "汇总", "晚了", "迟了", "超时")


def _topical(t: str, numbers: bool = False) -> bool:
    """Words that make a part a question of its own; for a follow-up, a number with its unit (十页, 30个月)
    adds a slot, not a topic."""
    if numbers:
        return any(w in t for w in _TOPICAL)
    t = re.sub(r"[\d一二两三四五六七八九十百千万亿半零.]+\s*(?:个)?\s*(?:页|个月|月|年|亿|万|个|市)", "", t)
    return any(w in t for w in _TOPICAL)


def _has_slots(slots: Slots) -> bool:
    return bool(slots.provinces or slots.cities or slots.count or slots.pages.any or slots.amount_wan is not None
                or slots.months is not None or slots.mailboxes or slots.refs)


def _is_elliptic(t: str, slots: Slots) -> bool:
    s = t.strip()
    if len(s.replace(" ", "")) > 14 or _GREETING.match(s.replace(" ", "")):
        return False
    return s.endswith("呢") or s.startswith(_FOLLOW_HEAD) or (_has_slots(slots) and _only_slots(s, slots)) \
        or bool(_BARE_ASK.match(s.replace(" ", "")))         # "几点" after "未识别那封是谁发的": about the same thing


def _dedupe(readings: list[Reading]) -> list[Reading]:
    """Consecutive readings of one question are one: the same intent; an open question and another intent of its
    family ("纸质件邮寄地址是多少 收件人写谁": the open paper-address question); two things the notice lacks."""
    out: list[Reading] = []
    for r in readings:
        p = out[-1] if out else None
        if p is not None and p.intent == r.intent and not r.followup:
            continue
        if p is not None and p.spec.family == r.spec.family and "open" in (p.spec.answer, r.spec.answer) \
                and not r.followup and p.spec.answer != r.spec.answer \
                and min(p.confidence, r.confidence) < 0.75:        # the unsure one is a detail of the open question
            if r.spec.answer == "open":
                out[-1] = r
            continue
        if p is not None and p.spec.answer == r.spec.answer == "abstain":
            continue
        out.append(r)
    return out


@lru_cache(maxsize=4)
def understander_for(call: CallConfig, cache_dir: Path | None) -> Understander:
    return Understander(call, cache_dir)
