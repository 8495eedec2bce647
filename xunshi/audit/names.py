"""The trail in the auditor's words: the Chinese name of every action and object type the code
records, and of the fields an event's before and after keep.

The trail stores codes (`rectification.item.plan`, `rectification.rectificationitem`), which
stay as they are: they are hashed into the chain. This module is the one table that names
them; `tests/test_names.py` reads the code with `ast` and fails for an action recorded
anywhere that has no name here, and for a model of the project whose type has none.

A field of before and after is named by the model's own `verbose_name` (the app registry is
asked, nothing is imported), and a value with choices by its label; the few keys that are no
model field (a count of characters, a download's rows) are in `EXTRA_FIELDS`.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from django.apps import apps
from django.core.exceptions import FieldDoesNotExist
from django.db.models import Field
from django.utils.functional import Promise
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from xunshi.accounts.models import Role

__all__ = [
    "ACTION_NAMES",
    "EXTRA_FIELDS",
    "OBJECT_TYPE_NAMES",
    "action_name",
    "field_name",
    "field_value",
    "object_type_name",
    "role_name",
]

# Every action, by the area of the work it belongs to (the code's first word).
ACTION_NAMES: dict[str, Promise] = {
    # accounts
    "accounts.login": _("登录"),
    "accounts.login_failed": _("登录失败"),
    "accounts.logout": _("退出登录"),
    "accounts.password.change": _("修改密码"),
    "accounts.lockout.reset": _("解除登录锁定"),
    "accounts.admin.bootstrap": _("创建首批三员账号"),
    "accounts.lockout": _("账号因登录失败过多被锁定"),
    "accounts.user.otp_enrol": _("绑定身份验证器（双因素认证）"),
    "accounts.user.otp_verify_failed": _("双因素认证验证码错误"),
    "accounts.user.recovery_used": _("使用恢复码登录"),
    "accounts.user.otp_remove": _("停用本人的双因素认证"),
    "accounts.user.otp_reset": _("重置双因素认证"),
    "accounts.user.create": _("开设账号"),
    "accounts.user.activate": _("启用账号"),
    "accounts.user.disable": _("停用账号"),
    "accounts.user.grant": _("授予角色"),
    "accounts.adminrequest.create": _("申请变更管理员账号"),
    "accounts.adminrequest.approve": _("批准管理员账号变更"),
    "accounts.adminrequest.refuse": _("不予批准管理员账号变更"),
    # audit
    "audit.view": _("查阅审计日志"),
    "audit.verify.request": _("核验审计链"),
    "audit.auditevent.export": _("导出审计日志"),
    # deadlines
    "deadlines.calendar.enter": _("录入工作日历"),
    "deadlines.ruleset.create": _("修订期限规则"),
    # files
    "files.attachment.store": _("上传附件"),
    "files.attachment.download": _("下载附件"),
    "files.attachment.damaged": _("发现附件损坏"),
    "files.orphans.remove": _("清理无记录的文件"),
    "files.field_key.rotate": _("更换加密密钥（重新加密）"),
    # on-site work and findings (the `inspections` label)
    "inspections.talk.create": _("登记个别谈话"),
    "inspections.talk.update": _("修改个别谈话"),
    "inspections.talk.sign_off": _("个别谈话记录签字确认"),
    "inspections.petition.create": _("登记信访件"),
    "inspections.petition.route": _("分办信访件"),
    "inspections.petition.reply": _("答复信访件"),
    "inspections.docrequest.create": _("登记调阅资料"),
    "inspections.docrequest.handover": _("交接调阅资料"),
    "inspections.docrequest.return": _("归还调阅资料"),
    "inspections.docrequest.slip": _("导出资料交接单"),
    "inspections.fix.create": _("登记立行立改事项"),
    "inspections.fix.done": _("立行立改事项完成"),
    "inspections.paper.create": _("新建问题底稿"),
    "inspections.paper.update": _("修改问题底稿"),
    "inspections.paper.evidence": _("底稿添加证据"),
    "inspections.paper.submit": _("底稿提交组务会"),
    "inspections.paper.group_review": _("组务会审议通过底稿"),
    "inspections.paper.group_return": _("组务会退回底稿"),
    "inspections.paper.approve": _("组长审定底稿"),
    "inspections.paper.return": _("组长退回底稿"),
    "inspections.taxonomy.create": _("新建问题分类"),
    # doctemplates (公文模板)
    "doctemplates.template.upload": _("上传公文模板"),
    "doctemplates.template.restore": _("恢复公文模板的早先版本"),
    # knowledge (知识库)
    "knowledge.regulation.create": _("新建法规制度"),
    "knowledge.regulation.revise": _("修改法规制度（出新版本）"),
    "knowledge.regulation.import": _("导入法规条文（出新版本）"),
    "knowledge.case.create": _("新建典型案例"),
    "knowledge.case.update": _("修改典型案例"),
    "knowledge.statement.create": _("新建定性表述"),
    "knowledge.statement.update": _("修改定性表述"),
    "inspections.taxonomy.new_version": _("问题分类出新版本"),
    "inspections.problem.create": _("形成问题"),
    "inspections.clue.create": _("登记问题线索"),
    "inspections.clue.transfer": _("移交问题线索"),
    "inspections.clue.dispose": _("登记线索处置结果"),
    "inspections.report.save": _("保存巡视报告正文"),
    "inspections.document.export": _("导出巡视文书"),
    "inspections.stage": _("巡视阶段变更"),
    # intake (码上巡察)
    "intake.announcement.save": _("保存巡视公告"),
    "intake.publish": _("向门户发布公告和整改公开"),
    "intake.status.push": _("向门户推送办理状态"),
    "intake.submission.pull": _("拉取门户来件"),
    "intake.submission.route": _("分办门户来件"),
    "intake.submission.open": _("查看门户来件原件"),
    # oversight (上下联动)
    "oversight.filing.create": _("报备"),
    "oversight.filing.refile": _("重新报备"),
    "oversight.filing.accept": _("接收报备"),
    "oversight.filing.return": _("退回报备"),
    "oversight.point.create": _("提出督导要点"),
    # rectification
    "rectification.item.plan": _("报送整改方案"),
    "rectification.progress.report": _("报告整改进展"),
    "rectification.item.claim": _("申请销号"),
    "rectification.item.close": _("核验销号"),
    "rectification.item.return": _("退回销号申请"),
    "rectification.notice.issue": _("发出督办函"),
    "rectification.notice.export": _("导出督办函"),
    "rectification.report.export": _("导出整改情况报告"),
    "rectification.lookback.create": _("开展回头看"),
    # registry
    "registry.body.create": _("新建党组织"),
    "registry.body.team_access_grace": _("设置办结后巡视组查阅期限"),
    "registry.term.create": _("新建届"),
    "registry.region.load": _("载入行政区划"),
    "registry.org.create": _("新增被巡视单位"),
    "registry.org.update": _("修改被巡视单位"),
    "registry.cadre.create": _("新增干部"),
    "registry.cadre.update": _("修改干部信息"),
    "registry.waiver.create": _("豁免回避"),
    "registry.export": _("导出名册"),
    "registry.template.download": _("下载导入模板"),
    "registry.import.start": _("提交Excel导入"),
    "registry.export.start": _("提交Excel导出"),
    "registry.export.run": _("Excel导出开始运行"),
    "registry.export.finish": _("Excel导出结束"),
    "registry.export.fail": _("Excel导出出错"),
    "registry.export.stop": _("停止Excel导出"),
    "registry.export.reap": _("Excel导出中断（无响应）"),
    "documents.pdf.create": _("提交文书PDF生成"),
    "documents.pdf.run": _("文书PDF生成开始运行"),
    "documents.pdf.finish": _("文书PDF生成结束"),
    "documents.pdf.fail": _("文书PDF生成出错"),
    "documents.pdf.stop": _("停止文书PDF生成"),
    "documents.pdf.reap": _("文书PDF生成中断（无响应）"),
    # a background job's actions: `<JobKind>.<verb>` (xunshi/jobs/actions.py)
    "registry.import.run": _("Excel导入开始运行"),
    "registry.import.finish": _("Excel导入结束"),
    "registry.import.fail": _("Excel导入出错"),
    "registry.import.stop": _("停止Excel导入"),
    "registry.import.reap": _("Excel导入中断（无响应）"),
    "rounds.planning.run": _("方案计算开始运行"),
    "rounds.planning.finish": _("方案计算结束"),
    "rounds.planning.fail": _("方案计算出错"),
    "rounds.planning.stop": _("停止方案计算"),
    "rounds.planning.reap": _("方案计算中断（无响应）"),
    # rounds
    "rounds.ruleset.create": _("新建纪律规定版本"),
    "rounds.round.create": _("新建轮次"),
    "rounds.round.decision": _("记录提级或交叉巡视决定"),
    "rounds.round.link": _("关联联动轮次"),
    "rounds.round.unlink": _("取消联动关联"),
    "rounds.round.schedule_villages": _("安排驻村"),
    "rounds.round.plan_withdraw": _("巡视组变动，撤销方案审批"),
    "rounds.team.create": _("组建巡视组"),
    "rounds.membership.add": _("巡视组增加成员"),
    "rounds.pledge.sign": _("签署承诺"),
    "rounds.branch.establish": _("成立临时党支部"),
    "rounds.inspection.create": _("新建巡视任务"),
    "rounds.inspection.stage": _("巡视阶段变更（演示数据）"),
    "rounds.planning.create": _("提交方案计算"),
    "rounds.plan.apply": _("采用计算方案"),
    "rounds.plan.export": _("导出巡视工作方案"),
    "rounds.pledge.paper": _("登记纸质承诺书"),
    "rounds.yearplan.create": _("编制年度巡视巡察工作计划"),
    "rounds.yearplan.round": _("保存年度计划的轮次"),
    "rounds.yearplan.round.remove": _("删除年度计划的轮次"),
    "rounds.yearplan.revise": _("修订年度计划（新版本）"),
    "rounds.yearplan.link": _("关联年度计划轮次与实际轮次"),
    "decisions.decision.record": _("记录领导小组或党委决定"),
    "decisions.pledge.paper": _("登记纸质承诺书及扫描件"),
    "dashboards.figures.export": _("导出统计分析数据"),
    "inspections.petition.export": _("导出信访件列表"),
    "inspections.clue.export": _("导出问题线索列表"),
    "inspections.clue_overdue.export": _("导出线索处置逾期列表"),
    "inspections.problem.export": _("导出问题列表"),
    "inspections.talk.export": _("导出个别谈话列表"),
    "inspections.documentrequest.export": _("导出调阅资料列表"),
    "inspections.immediatefix.export": _("导出立行立改列表"),
    "inspections.workingpaper.export": _("导出问题底稿列表"),
    "rounds.round.export": _("导出轮次列表"),
    "intake.portalannouncement.export": _("导出巡视公告列表"),
    "rectification.ledger_list.export": _("导出整改台账列表"),
    "rectification.supervision.export": _("导出整改督办列表"),
    "rectification.village_ledger.export": _("导出村级整改台账"),
    "registry.org_list.export": _("导出单位名录列表"),
    "registry.cadre_list.export": _("导出干部库列表"),
    "users.user_list.export": _("导出用户列表"),
    "users.team_account_list.export": _("导出巡视组账号列表"),
    "desk.reminders": _("生成待办提醒"),
    "desk.digest": _("发送待办提醒邮件"),
    "desk.notification.read": _("提醒标为已读"),
    "desk.notification.read_all": _("全部提醒标为已读"),
    # api: personal API tokens (xunshi/api)
    "api.token.create": _("创建接口令牌"),
    "api.token.revoke": _("吊销接口令牌"),
    "api.token.refused": _("接口令牌被拒绝"),
    # ops
    "system.backup": _("备份数据"),
    "system.restore": _("从备份恢复数据"),
}

# Every model of the project, and the types that name no model (`object_type=` given).
OBJECT_TYPE_NAMES: dict[str, Promise] = {
    "accounts.user": _("账号"),
    "accounts.passwordhistory": _("历史密码"),
    "accounts.loginthrottle": _("登录失败计数"),
    "accounts.loginchallenge": _("登录验证随机数"),
    "accounts.lockoutalert": _("账号锁定提醒"),
    "accounts.adminrequest": _("管理员账号变更申请"),
    "audit.auditevent": _("审计日志"),
    "audit.audithead": _("审计链尾"),
    "audit.chainverification": _("审计链核验"),
    "jobs.job": _("后台任务"),
    "jobs.heartbeat": _("后台任务进程心跳"),
    "registry.inspectingbody": _("党组织"),
    "registry.term": _("届"),
    "registry.numberseries": _("文号序列"),
    "registry.region": _("行政区划"),
    "registry.orgunit": _("被巡视单位"),
    "registry.cadre": _("干部"),
    "registry.cadrework": _("干部工作经历"),
    "registry.cadrestudy": _("干部学习经历"),
    "registry.cadrekin": _("干部亲属"),
    "registry.avoidancewaiver": _("回避豁免"),
    "registry.importjob": _("Excel导入"),
    "registry.exportjob": _("Excel导出"),
    "pdfjobs.pdfjob": _("文书PDF"),
    "doctemplates.documenttemplate": _("公文模板"),
    "rounds.forecastresult": _("覆盖预测结果"),
    "searchindex.searchentry": _("检索索引条目"),
    "searchindex.searchmatch": _("检索全文匹配"),
    "rounds.round": _("轮次"),
    "rounds.disciplineruleset": _("纪律规定"),
    "rounds.team": _("巡视组"),
    "rounds.teammembership": _("巡视组成员"),
    "rounds.partybranch": _("临时党支部"),
    "rounds.inspection": _("巡视任务"),
    "rounds.planningjob": _("方案计算"),
    "deadlines.calendaryear": _("工作日历"),
    "deadlines.holiday": _("节假日与调休"),
    "deadlines.deadlineruleset": _("期限规则"),
    "deadlines.deadlinerule": _("期限规则条目"),
    "files.attachment": _("附件"),
    "files.field_key": _("加密密钥"),
    "inspections.taxonomy": _("问题分类"),
    "knowledge.regulation": _("法规制度"),
    "knowledge.regulationversion": _("法规制度版本"),
    "knowledge.article": _("法规条款"),
    "knowledge.typicalcase": _("典型案例"),
    "knowledge.statement": _("定性表述"),
    "inspections.taxonomyitem": _("问题分类条目"),
    "inspections.talk": _("个别谈话"),
    "inspections.petition": _("信访件"),
    "inspections.documentrequest": _("调阅资料"),
    "inspections.immediatefix": _("立行立改事项"),
    "inspections.workingpaper": _("问题底稿"),
    "inspections.evidenceitem": _("底稿证据"),
    "inspections.problem": _("问题"),
    "inspections.clue": _("问题线索"),
    "inspections.reporttext": _("巡视报告正文"),
    "inspections.inspectiondue": _("期限"),
    "inspections.stagechange": _("阶段变更"),
    "rectification.rectificationitem": _("整改事项"),
    "rectification.progressreport": _("整改进展"),
    "rectification.supervisionnotice": _("督办函"),
    "rectification.disclosure": _("整改公开"),
    "intake.portalannouncement": _("巡视公告"),
    "intake.portalsubmission": _("门户来件"),
    "intake.portalcursor": _("门户拉取位置"),
    "intake.portal": _("码上巡察门户"),
    "ops.backup": _("备份文件"),
    "oversight.filing": _("报备"),
    "oversight.oversightpoint": _("督导要点"),
    "oversight.bodyfigures": _("工作数字"),
    "dashboards.figures": _("统计分析数据"),
    "inspections.clue_overdue": _("线索处置逾期列表"),
    "rectification.ledger_list": _("整改台账列表"),
    "rectification.supervision": _("整改督办列表"),
    "rectification.village_ledger": _("村级整改台账"),
    "registry.cadre_list": _("干部库列表"),
    "registry.org_list": _("单位名录列表"),
    "users.user_list": _("用户列表"),
    "users.team_account_list": _("巡视组账号列表"),
    "decisions.decision": _("领导小组或党委决定"),
    "decisions.paperpledge": _("纸质承诺书"),
    "desk.notification": _("待办提醒"),
    "rounds.yearplan": _("年度巡视巡察工作计划"),
    "rounds.yearplanround": _("年度计划轮次"),
    "api.apitoken": _("接口令牌"),
}

# The keys of before and after that are no field of the event's model.
EXTRA_FIELDS: dict[str, Promise] = {
    "added": _("新增"),
    "articles": _("条款数"),
    "attachments": _("附件"),
    "body": _("党组织"),
    "cadre": _("干部"),
    "case_sm3": _("内容摘要值（SM3）"),
    "closed_by": _("销号人"),
    "document": _("调阅资料"),
    "files": _("文件数"),
    "files_refused": _("拒收文件数"),
    "filters": _("筛选条件"),
    "inspection": _("巡视任务"),
    "interviewers": _("谈话人"),
    "kin": _("亲属"),
    "kind": _("类型"),
    "newer_than": _("晚于序号"),
    "note": _("说明"),
    "older_than": _("早于序号"),
    "on": _("日期"),
    "org": _("单位"),
    "overview_chars": _("概况字数"),
    "page": _("页码"),
    "paper": _("底稿"),
    "petition": _("信访件"),
    "pledge_rule_set": _("纪律规定"),
    "q": _("查询"),
    "reason": _("理由"),
    "refusal": _("拒绝原因"),
    "recorded_by": _("记录人"),
    "record": _("记录"),
    "record_chars": _("谈话记录字数"),
    "report": _("进展报告"),
    "report_figures": _("本次报告数字"),
    "reported_on": _("报告日期"),
    "request": _("请求"),
    "round": _("轮次"),
    "rows": _("行数"),
    "rule": _("规则"),
    "seq": _("序号"),
    "sha256": _("SHA-256"),
    "size": _("大小（字节）"),
    "study": _("学习经历"),
    "suggestions_chars": _("意见建议字数"),
    "summary_chars": _("摘要字数"),
    "talk": _("个别谈话"),
    "target": _("被巡视单位"),
    "team": _("巡视组"),
    "term": _("届"),
    "uploaded_by": _("上传人"),
    "work": _("工作经历"),
    "year_plan": _("年度计划"),
}

_SYSTEM_ROLE = "system"


@lru_cache(maxsize=1024)
def _name(language: str | None, table: str, code: str) -> str:
    name = (ACTION_NAMES if table == "action" else OBJECT_TYPE_NAMES).get(code)
    return str(name) if name is not None else code


def action_name(action: str) -> str:
    """The action's Chinese name; the code itself for one this table does not know."""
    return _name(get_language(), "action", action)


def object_type_name(object_type: str) -> str:
    """The object type's Chinese name; the code itself for one this table does not know."""
    return _name(get_language(), "type", object_type)


def role_name(role: str) -> str:
    """The stored role as the page names it: 系统 for the system, a role's label, or nothing."""
    if role == _SYSTEM_ROLE:
        return str(_("系统"))
    return str(Role(role).label) if role in Role.values else role


def _model_field(object_type: str, key: str) -> Field[Any, Any] | None:
    try:
        model = apps.get_model(object_type)
        field = model._meta.get_field(key)
    except (LookupError, ValueError, FieldDoesNotExist):
        return None
    return field if isinstance(field, Field) else None


@lru_cache(maxsize=4096)
def _labels(language: str | None, object_type: str, key: str) -> tuple[str, dict[str, str]]:
    # Asked for every value of every row of an export: worked out once per language.
    field = _model_field(object_type, key)
    name = ""
    if field is not None and not str(field.verbose_name).isascii():
        name = str(field.verbose_name)
    elif key in EXTRA_FIELDS:
        name = str(EXTRA_FIELDS[key])
    choices = {str(k): str(v) for k, v in field.flatchoices} if field and field.choices else {}
    return name or key, choices


def field_name(object_type: str, key: str) -> str:
    """A key of an event's before or after in Chinese: the model field's name, else the table."""
    return _labels(get_language(), object_type, key)[0]


def field_value(object_type: str, key: str, value: Any) -> str:
    """A value as the page shows it: a choice by its label, nothing as —, the rest as stored."""
    if value is None or value == "" or value == [] or value == {}:
        return "—"
    choices = _labels(get_language(), object_type, key)[1]
    if str(value) in choices:
        return choices[str(value)]
    if isinstance(value, bool):
        return str(_("是")) if value else str(_("否"))
    if isinstance(value, list):
        return "、".join(str(v) for v in value)
    if isinstance(value, dict):
        return "；".join(f"{field_name(object_type, k)}：{v}" for k, v in value.items())
    return str(value)
