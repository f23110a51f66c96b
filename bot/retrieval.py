"""Rule retrieval over R01–R35 and the open questions: jieba words + character bigrams + a synonym table.

Both the question and the rules are mapped through the same synonym table to concept tags (页数/页/篇幅 → 页),
so retrieval works across wordings; character bigrams keep it working through typos (截至/截止, 实施放案).
"""
from __future__ import annotations

import logging
import math
from collections import Counter
from dataclasses import dataclass
from functools import lru_cache

import jieba

from config.call import CallConfig

jieba.setLogLevel(logging.WARNING)

# concept tag -> surface forms (normalised: simplified, lower case). Both sides go through this table.
SYNONYMS: dict[str, tuple[str, ...]] = {
    "#页": ("页数", "页", "篇幅", "页码", "版面", "张纸", "多厚", "多长"),
    "#截止": ("截止", "截至", "最晚", "deadline", "24时", "几号", "哪天", "什么时候", "何时", "几点"),
    "#逾期": ("逾期", "迟交", "晚交", "晚了", "迟到", "超时", "过了截止", "补交", "来不及", "视为未申报"),
    "#邮箱": ("邮箱", "邮件", "email", "e-mail", "mail", "发到哪", "发送到哪", "发哪"),
    "#一个": ("一个邮箱", "只发", "只发了", "其中一个", "漏发", "单个邮箱"),
    "#纸质": ("纸质", "纸件", "纸版", "原件", "邮寄", "寄送", "快递", "寄到"),
    "#地址": ("地址", "寄到哪", "寄哪", "收件人"),
    "#联系": ("联系人", "联系方式", "电话", "咨询", "找谁", "打给", "联系"),
    "#名额": ("名额", "几个城市", "几个地市", "报几个", "两个", "多少个", "几个", "数量", "指标"),
    "#地市": ("地市", "城市", "市"),
    "#补助": ("补助", "资金", "钱", "亿", "万元", "经费", "补贴", "多少钱", "封顶", "上限"),
    "#实施期": ("实施期", "实施期限", "几年", "周期", "年限", "多久完成", "期限"),
    "#材料": ("材料", "附件", "附哪些", "提交什么", "准备什么", "清单", "要交", "附什么"),
    "#方案": ("实施方案", "方案", "方安", "放案", "编制提纲"),
    "#预算": ("预算表", "资金预算", "预算", "测算", "资金规模"),
    "#绩效": ("绩效目标表", "绩效", "目标表", "绩效评估", "自评"),
    "#佐证": ("佐证", "证明材料", "支撑材料"),
    "#执行": ("执行情况", "执行报告", "2022年报告", "去年的项目", "2022年示范"),
    "#盖章": ("盖章", "扫描", "公章", "印章", "红章", "扫描件"),
    "#联合": ("联合行文", "联合发文", "联合", "两个部门", "会签"),
    "#单列": ("计划单列市", "单列市", "青岛", "大连", "宁波", "厦门", "深圳"),
    "#再报": ("再次申报", "重复申报", "已入选", "评上", "评为示范", "入选过", "又报", "再报"),
    "#a4": ("a4", "a3", "单版面", "双面", "单面", "纸张", "大小"),
    "#兵团": ("兵团",),
    "#直辖": ("直辖市", "区县", "市辖区"),
    "#超大": ("超大附件", "网盘", "链接", "下载"),
    "#评审": ("评审", "形式审查", "专家", "遴选", "怎么选", "评选", "标准", "择优"),
    "#政府": ("省政府", "人民政府", "政府同意", "省级人民政府"),
    "#重点": ("支持重点", "支持方向", "支持什么", "重点", "方向", "范围", "支持哪些"),
    "#债务": ("债务", "财政负担", "隐性债务"),
    "#名单": ("名单", "入选名单", "哪些城市入选"),
    "#同时": ("同时", "什么时候交", "何时交", "什么时候寄", "什么时候报送", "什么时候送"),
    "#用途": ("使用范围", "用在", "用途", "能用于", "花在", "就业补助资金"),
}
STOP = set("的 了 吗 呢 吧 啊 么 是 有 在 和 与 及 或 要 请问 请 我 我们 你 能 可以 可 不 什么 怎么 多少 哪些 哪 "
           "一下 这个 那 就 都 也 还 会 对 把 被 让 给 说 问 , . ? ! : ; \" ' ( ) - 、".split())


def _bigrams(text: str) -> list[str]:
    cjk = [c for c in text if "\u4e00" <= c <= "\u9fff"]
    return ["~" + a + b for a, b in zip(cjk, cjk[1:])]


def terms(text: str) -> Counter:
    """Bag of terms for normalised ``text``: concept tags (weighted 3), jieba words, character bigrams."""
    bag: Counter = Counter()
    for tag, forms in SYNONYMS.items():
        if any(f in text for f in forms):
            bag[tag] += 3
    for w in jieba.lcut_for_search(text):
        w = w.strip()
        if w and w not in STOP and len(w) >= 2:
            bag[w] += 1
    for b in _bigrams(text):
        bag[b] += 0.5
    return bag


@dataclass(frozen=True)
class Hit:
    id: str                 # R13 / O5
    score: float


class RuleIndex:
    """A small BM25-flavoured index over the rules' Chinese text, clause and the open questions."""

    def __init__(self, call: CallConfig):
        self.docs: dict[str, Counter] = {}
        for r in call.rules:
            clause = r.clause if not r.clause.startswith("same as") else ""
            self.docs[r.id] = terms(f"{r.text_zh} {clause}")
        for o in call.open_questions:
            self.docs[o.id] = terms(o.text_zh)
        n = len(self.docs)
        df: Counter = Counter()
        for bag in self.docs.values():
            df.update(set(bag))
        self.idf = {t: math.log(1 + (n - c + 0.5) / (c + 0.5)) for t, c in df.items()}
        self.avglen = sum(sum(b.values()) for b in self.docs.values()) / max(n, 1)

    def search(self, text: str, k: int = 3) -> list[Hit]:
        q = terms(text)
        out = []
        for doc_id, bag in self.docs.items():
            length = sum(bag.values())
            s = 0.0
            for t, qw in q.items():
                tf = bag.get(t)
                if not tf:
                    continue
                s += qw * self.idf[t] * tf * 2.2 / (tf + 1.2 * (0.25 + 0.75 * length / self.avglen))
            if s > 0:
                out.append(Hit(doc_id, round(s, 3)))
        out.sort(key=lambda h: -h.score)
        return out[:k]


@lru_cache(maxsize=4)
def index_for(call: CallConfig) -> RuleIndex:
    return RuleIndex(call)
