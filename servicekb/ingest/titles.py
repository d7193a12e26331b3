"""Where a heading's title ends and its body begins, when the scrape glued them together.

`1.1服务理念与目标顾客服务应以…` has no separator between the title
(服务理念与目标) and the body (顾客服务应以…). A table of contents settles it
when the document has one; otherwise the split is a heuristic on the wording:
the body usually opens with a preposition or a year (根据, 随着, 在2025年…),
with its subject or verb (客户, 企业, 在, 建立…) right after a title that ends
in a typical heading noun (规范, 流程, 机制…) or with a word of the title
(`接待流程与礼仪接待流程应遵循…`), or with a subject and a modal verb
(`售后服务产品说明应包含…`).
"""

from __future__ import annotations

import re

__all__ = ["document_title", "split_title"]

_OPENERS = (
    "根据",
    "依据",
    "按照",
    "随着",
    "随著",
    "为了",
    "为确保",
    "为提升",
    "通过",
    "对于",
    "针对",
    "本章",
    "本节",
    "近年来",
    "目前",
    "当前",
    "由于",
    "作为",
    "如今",
    "当今",
    "如果",
)
_STARTERS = (
    "客户",
    "顾客",
    "企业",
    "服务",
    "产品",
    "员工",
    "用户",
    "门店",
    "销售",
    "公司",
    "纺织",
    "组织",
    "投诉",
    "售后",
    "各",
    "所有",
    "每",
    "定期",
    "建立",
    "制定",
    "明确",
    "使用",
    "采用",
    "设立",
    "加强",
    "提供",
    "对",
    "将",
    "以",
    "从",
    "该",
    "此",
    "这",
    "其",
    "满意度",
    "会员",
    "陈列",
    "库存",
    "信息",
    "数据",
    "为",
    "注重",
    "选择",
    "关注",
    "高度重视",
    "针对",
    "在",
)
_SUFFIXES = (
    "目标",
    "原则",
    "规范",
    "流程",
    "机制",
    "要求",
    "标准",
    "策略",
    "管理",
    "措施",
    "体系",
    "说明",
    "处理",
    "分析",
    "方法",
    "培训",
    "考核",
    "礼仪",
    "技巧",
    "评估",
    "反馈",
    "介绍",
    "支持",
    "维护",
    "保障",
    "建设",
    "设定",
    "制定",
    "实施",
    "优化",
    "升级",
    "改进",
    "创新",
    "控制",
    "监控",
    "监督",
    "安排",
    "跟踪",
    "解答",
    "指导",
    "分享",
    "展示",
    "方向",
    "预案",
    "演练",
    "协调",
    "沟通",
    "配合",
    "传递",
    "宣传",
    "形象",
    "概述",
    "构建",
    "应用",
    "内容",
    "重要性",
    "类型",
    "收集",
    "路径",
    "计划",
    "保密",
    "调查",
    "呈现",
    "透明",
    "安全",
    "布局",
    "工具",
    "更新",
    "属性",
    "特点",
    "人群",
    "促销",
    "结合",
    "讲解",
    "演示",
    "接待",
    "素养",
    "表达",
    "意识",
    "共鸣",
    "盘点",
    "预警",
    "分类",
    "损耗",
    "需求",
    "影响",
    "关联",
    "现状",
    "要素",
    "趋势",
    "融合",
    "深化",
    "整合",
    "责任",
    "事件",
    "防范",
    "识别",
    "制度",
    "保护",
    "权益",
    "解决",
    "纠纷",
    "问题",
    "案例",
    "经验",
    "成果",
    "资质",
    "规则",
    "决策",
    "能力",
    "交付",
    "平台",
    "规范化",
    "标准化",
    "数字化",
    "智能化",
    "个性化",
    "激励",
    "挂钩",
    "奖励",
    "礼仪",
    "引导",
    "准备",
    "培养",
    "学习",
    "搭建",
    "承诺",
    "选择",
    "服务",
    "团队",
    "集成",
    "质量",
    "职责",
    "系统",
)
_SUBJECT_THEN_MODAL = re.compile(r"[\u4e00-\u9fff]{2,6}?(应(?![用急对])|需(?!求)|须|是(?!否)|可(?![能持靠视控行]))")
# Two-character section titles of standards, recognised only when the body visibly starts after them.
_SHORT_TITLES = frozenset(
    {
        "目的",
        "范围",
        "要求",
        "原则",
        "职责",
        "定义",
        "总则",
        "概述",
        "目标",
        "术语",
        "依据",
        "时限",
        "流程",
        "标准",
        "措施",
        "方法",
        "内容",
    }
)
_STOP = re.compile(r"[。，,;；:：!！?？“《]")
_MAX_TITLE = 40


def split_title(segment: str, known: tuple[str, ...] = ()) -> tuple[str, str]:
    """Split the text after a heading number into (title, body).

    `known` are titles from the table of contents that may apply; the longest
    one the segment starts with wins. A segment on its own line, or short
    and without punctuation, is all title.
    """
    segment = segment.strip()
    for title in sorted(known, key=len, reverse=True):
        if title and segment.startswith(title):
            return title, segment[len(title) :].strip()
    first_line, _, rest = segment.partition("\n")
    if rest.strip() and len(first_line.strip()) <= _MAX_TITLE:
        return first_line.strip(), rest.strip()
    stop = _STOP.search(segment)
    limit = min(stop.start() if stop else len(segment), _MAX_TITLE)
    if limit == len(segment):
        return segment, ""
    k = _title_end(segment, limit)
    return segment[:k].strip(), segment[k:].strip()


def _title_end(segment: str, limit: int) -> int:
    """Index where the body starts: the earliest well-supported break before `limit`."""
    if segment[:2] in _SHORT_TITLES and segment.startswith(_STARTERS + _OPENERS, 2):
        return 2
    for k in range(3, limit + 1):
        rest = segment[k:]
        if rest.startswith(_OPENERS) or re.match(r"(在)?\d{4}年", rest):
            return k
        head = segment[:k]
        starts_subject = rest.startswith(_STARTERS)
        if head.endswith(_SUFFIXES) and (starts_subject or rest[:2] in head):
            return k
        if starts_subject and _SUBJECT_THEN_MODAL.match(rest):
            return k
    for k in range(3, limit + 1):
        if segment.startswith(segment[:2], k):
            return k
    # No cue: keep a short stretch as the title rather than swallowing the first sentence.
    return min(limit, 12)


def document_title(prefix: str) -> str:
    """The document title from the text before the first heading (a repeated title is kept once)."""
    line = next((ln.strip() for ln in prefix.splitlines() if ln.strip()), "")
    for size in range(1, len(line) // 2 + 1):
        unit = line[:size]
        if len(line) % size == 0 and unit * (len(line) // size) == line:
            return unit
    return line
