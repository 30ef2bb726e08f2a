"""The demo city's dispatch catalogue (派单目录): which department gets which matter, for 江川市.

FICTIONAL, like the rest of the demo city, but built the way real catalogues are (DOMAIN.md §5):

- 属地管理、分级负责，谁主管、谁负责 (信访工作条例 Art. 5). A matter of a functional department's remit
  goes to that department — a city bureau, its district branch, or a utility (谁主管). A matter of a
  place goes to the place: the street office of the case's street, or the district's own unit (属地).
- Nothing that belongs to a functional department is pushed down to a street office (国办函〔2025〕66号
  (五)): functional rules never name a street office, as lead or as co-handler.
- Unclear ownership with a known district → the district government coordinates (北京市接诉即办工作条例
  Art. 12). That is the last rule; every demo sub-category has a rule of its own before it.
- Automatic dispatch (`auto`) for outages and clear-cut functional matters; a suggestion (`suggest`)
  the dispatcher confirms where the owner depends on facts the form does not carry (whose manhole,
  whose road, a dispute that may belong to arbitration).
- Keyword rules for emergencies come first: the first matching rule wins.
- Petitions (信访事项) with a known place go to the district government first, as a suggestion the
  petition office confirms (信访工作条例 Art. 22: 转送 by 属地管理、分级负责); the other rules serve both
  tracks (谁主管谁负责 holds for both), so a petition with no place follows its subject.
- A rule led by `street_office` cannot resolve for a case that names only a district; the domain then
  skips to the next rule, so each such rule is followed by one for the district.

`basis` says why a rule sends a case where it does — `function` (谁主管), `place` (属地) or `unclear`
(区政府协调) — and is what tests/integration/test_demo_catalogue.py holds each rule to. It is stored in the
rule's note, with the reasoning a catalogue keeper would want to read. Targets: see hotline/domain/routing.py.
"""
from __future__ import annotations

from dataclasses import dataclass

__all__ = ["RULES", "RuleSeed", "CATCH_ALL", "OWNER_BRANCH"]

AUTO, SUGGEST = "auto", "suggest"


@dataclass(frozen=True)
class RuleSeed:
    name: str  # unique within the catalogue
    lead: str
    basis: str  # function, place, unclear
    categories: tuple[str, ...] = ()
    co: tuple[str, ...] = ()
    mode: str = SUGGEST
    kinds: tuple[str, ...] = ()
    areas: tuple[str, ...] = ()
    urgencies: tuple[str, ...] = ()
    keywords: tuple[str, ...] = ()
    track: str | None = None
    why: str = ""

    @property
    def note(self) -> str:
        label = {"function": "谁主管谁负责", "place": "属地管理", "unclear": "权属不清"}[self.basis]
        return f"{label}：{self.why}" if self.why else label


# A city bureau and the district unit that carries out the same remit in each district (条 and 块): a
# functional matter may go to the district branch of the department that owns it.
OWNER_BRANCH = {"cgw": "cgj", "zjw": "zjj", "scjgj": "scjgj", "sthjj": "sthj"}

CATCH_ALL = "权属不清：区政府协调"

RULES: tuple[RuleSeed, ...] = (
    # --- petitions (信访事项) -------------------------------------------------------------------------
    RuleSeed("信访事项：转送属地区政府", "district_gov", "place", track="petition",
             why="信访工作条例 Art. 22(二)：涉及下级机关的，按属地管理、分级负责转送；信访部门审定后转送"),

    # --- emergencies named in the description, whatever the subject ----------------------------------
    RuleSeed("燃气泄漏（紧急）", "dept:rqjt", "function", mode=AUTO,
             keywords=("燃气泄漏", "煤气泄漏", "天然气泄漏", "煤气味", "燃气味", "天然气味", "闻到煤气"),
             why="燃气经营企业负责抢险；同时提醒来电人撤离并拨打 119"),
    RuleSeed("电梯困人（紧急）", "district:scjgj", "function", mode=AUTO,
             keywords=("电梯困人", "困在电梯", "被困电梯", "关在电梯"),
             why="特种设备安全法：属地市场监管局督促维保单位救援"),
    RuleSeed("疑似食物中毒", "district:scjgj", "function", co=("dept:wjw",), mode=AUTO,
             keywords=("食物中毒", "集体腹泻", "集体呕吐"),
             why="食品安全法：市场监管部门查处，卫生健康部门救治和流行病学调查"),

    # --- 城市管理 ------------------------------------------------------------------------------------
    RuleSeed("建筑施工噪声", "district:cgj", "place", categories=("city.noise-construction",),
             co=("district:zjj",),
             why="区城管执法局查处夜间违规施工；在建工程由住建部门监管，派单员据工地性质确认"),
    RuleSeed("占道经营", "district:cgj", "place", categories=("city.street-vending",), co=("street_office",),
             mode=AUTO, why="区城管执法局查处，街道协助门前三包"),
    RuleSeed("违法建设", "district:cgj", "place", categories=("city.illegal-construction",),
             co=("street_office",), why="属地查处违建；涉及规划认定时派单员加派规自局"),
    RuleSeed("渣土撒漏", "district:cgj", "place", categories=("city.muck-spill",), mode=AUTO,
             why="区城管执法局查处渣土运输撒漏"),
    RuleSeed("路灯损坏", "dept:cgw", "function", categories=("city.streetlight",), mode=AUTO,
             why="路灯由市城管委路灯管理部门统一维护"),
    RuleSeed("井盖缺失（紧急）", "dept:cgw", "function", categories=("city.manhole",), urgencies=("urgent",),
             mode=AUTO, why="危及人身安全：市城管委先行处置，再确认产权单位"),
    RuleSeed("井盖缺失破损", "dept:cgw", "function", categories=("city.manhole",),
             why="井盖产权分属供水、排水、燃气、电力、通信单位：市城管委确权后督促产权单位"),
    RuleSeed("垃圾清运", "street_office", "place", categories=("city.garbage",), co=("district:cgj",),
             mode=AUTO, why="生活垃圾分类和清运由街道组织，区城管（环卫）协办"),
    RuleSeed("垃圾清运（仅知区）", "district:cgj", "place", categories=("city.garbage",),
             why="未到街道的案件：区城管（环卫）受理，派单员确认街道"),
    RuleSeed("户外广告与牌匾", "district:cgj", "place", categories=("city.outdoor-ads",), mode=AUTO,
             why="区城管执法局查处违规户外广告和小广告"),
    RuleSeed("园林绿化", "district:cgj", "place", categories=("city.greening",), co=("street_office",),
             why="道路绿化由区城管（园林）养护，小区内绿化由物业和街道：派单员确认"),
    RuleSeed("公共厕所", "district:cgj", "place", categories=("city.public-toilet",), mode=AUTO,
             why="公厕由区城管（环卫）管理"),

    # --- 住房 ----------------------------------------------------------------------------------------
    RuleSeed("物业服务", "street_office", "place", categories=("housing.property-service",),
             co=("district:zjj",), mode=AUTO, why="街道指导监督物业服务，区住建局行业监管"),
    RuleSeed("房屋漏水维修", "street_office", "place", categories=("housing.house-leak",), co=("district:zjj",),
             why="邻里漏水由街道调解；保修期内的商品房由住建部门督促开发商"),
    RuleSeed("物业与房屋（仅知区）", "district:zjj", "place",
             categories=("housing.property-service", "housing.house-leak"),
             why="未到街道的案件：区住建局受理，派单员确认街道"),
    RuleSeed("住宅专项维修资金", "dept:zjw", "function", categories=("housing.maintenance-fund",), mode=AUTO,
             why="维修资金由市住建委统一归集和管理"),
    RuleSeed("电梯故障", "district:scjgj", "function", categories=("housing.elevator",), mode=AUTO,
             why="特种设备安全法：属地市场监管局监督使用单位和维保单位"),
    RuleSeed("房屋租赁与中介", "district:zjj", "function", categories=("housing.rental",),
             why="区住建局监管租赁和中介；押金纠纷可能须告知诉讼途径"),
    RuleSeed("商品房交付", "dept:zjw", "function", categories=("housing.new-home",), co=("district:zjj",),
             why="商品房预售和交付由市住建委监管，区住建局协办"),
    RuleSeed("不动产登记", "dept:zrzyj", "function", categories=("housing.property-cert",), mode=AUTO,
             why="不动产登记暂行条例：自然资源部门负责"),

    # --- 交通 ----------------------------------------------------------------------------------------
    RuleSeed("公交、出租与共享单车", "dept:jtw", "function",
             categories=("transport.bus-route", "transport.taxi", "transport.shared-bike"), mode=AUTO,
             why="市交通委管理公交、出租、网约车和共享单车企业"),
    RuleSeed("道路破损", "dept:jtw", "function", categories=("transport.road-damage",),
             why="城市道路由交通部门养护；小区内部道路属物业：派单员确认"),
    RuleSeed("交通信号与秩序", "dept:gaj", "function",
             categories=("transport.traffic-signal", "transport.traffic-order"), mode=AUTO,
             why="道路交通安全法：公安交通管理部门负责"),
    RuleSeed("停车管理", "dept:jtw", "function", categories=("transport.parking",),
             why="违停归交警、收费归市场监管、小区停车归物业：派单员确认"),

    # --- 市场监管 ------------------------------------------------------------------------------------
    RuleSeed("预付卡退费", "district:scjgj", "function", categories=("market.prepaid-card",),
             why="消费纠纷调解；校外培训机构的预付费由教委监管"),
    RuleSeed("市场监管（经营地市场监管局）", "district:scjgj", "function", categories=("market",), mode=AUTO,
             why="市场监督管理投诉举报处理暂行办法：由被投诉人实际经营地的县级市场监管部门处理"),

    # --- 劳动社保 ------------------------------------------------------------------------------------
    RuleSeed("建设工程欠薪", "dept:rsj", "function", categories=("labour.wage-arrears",), co=("district:zjj",),
             keywords=("工地", "农民工", "包工头", "施工队", "项目部"), mode=AUTO,
             why="保障农民工工资支付条例：人社部门查处，住建部门监管工程建设领域"),
    RuleSeed("劳动合同咨询", "dept:rsj", "function", categories=("labour.contract",), kinds=("consult",),
             mode=AUTO, why="政策咨询由市人社局答复"),
    RuleSeed("劳动合同与劳动关系", "dept:rsj", "function", categories=("labour.contract",),
             why="劳动争议可能须告知劳动仲裁途径：派单员确认"),
    RuleSeed("劳动社保（市人社局）", "dept:rsj", "function", categories=("labour",), mode=AUTO,
             why="工资、社保、就业、养老金由市人社局负责"),

    # --- 环境保护 ------------------------------------------------------------------------------------
    RuleSeed("北塘工业区大气污染", "dept:sthjj", "function", categories=("environment.air",), areas=("bt",),
             co=("district:sthj",), mode=AUTO, why="北塘区重点排污单位集中，由市生态环境局直接监管"),
    RuleSeed("餐饮油烟", "district:cgj", "place", categories=("environment.cooking-fumes",), mode=AUTO,
             why="大气污染防治法 Art. 118：本市由区城管执法局查处餐饮油烟"),
    RuleSeed("水污染", "district:sthj", "function", categories=("environment.water",), co=("dept:swj",),
             why="污染源由生态环境部门查处，河道由水务部门管理：派单员确认"),
    RuleSeed("电磁辐射", "dept:sthjj", "function", categories=("environment.radiation",), co=("dept:dxgs",),
             why="辐射监测由市生态环境局负责，基站由通信运营商配合说明"),
    RuleSeed("环境污染（区生态环境分局）", "district:sthj", "function",
             categories=("environment.air", "environment.industrial-noise", "environment.solid-waste"),
             mode=AUTO, why="生态环境分局属地执法"),

    # --- 公用事业（水电气热） --------------------------------------------------------------------------
    RuleSeed("排水与积水", "dept:swj", "function", categories=("utilities.drainage",),
             why="市政管网由水务部门负责，小区内管网属物业：派单员确认"),
    RuleSeed("通信网络", "dept:dxgs", "function", categories=("utilities.telecom",),
             why="本目录只有电信一家运营商：其他运营商由派单员改派"),
    RuleSeed("供水", "dept:zlsjt", "function",
             categories=("utilities.water-outage", "utilities.water-pressure", "utilities.water-quality"),
             mode=AUTO, why="供水企业负责抢修和水质"),
    RuleSeed("停电", "dept:gdgs", "function", categories=("utilities.power-outage",), mode=AUTO,
             why="供电企业负责抢修"),
    RuleSeed("燃气", "dept:rqjt", "function", categories=("utilities.gas-safety",), mode=AUTO,
             why="燃气经营企业负责安全检查和抢修"),
    RuleSeed("供暖", "dept:rljt", "function", categories=("utilities.heating",), mode=AUTO,
             why="供热企业负责室温达标"),

    # --- 公共服务 ------------------------------------------------------------------------------------
    RuleSeed("养老与社会救助", "dept:mzj", "function", categories=("public.elderly-care", "public.subsistence"),
             why="申请由街道受理、区民政审批；投诉由市民政局核实：派单员确认"),
    RuleSeed("婚姻登记与殡葬", "dept:mzj", "function", categories=("public.marriage-funeral",), mode=AUTO,
             why="民政部门负责"),
    RuleSeed("户籍办理", "dept:gaj", "function", categories=("public.hukou",), mode=AUTO,
             why="户口登记条例：公安机关负责"),
    RuleSeed("文化和旅游", "dept:wlj", "function", categories=("public.culture", "public.tourism"), mode=AUTO,
             why="文旅部门负责公共文化场馆和旅游市场"),

    # --- 教育 ----------------------------------------------------------------------------------------
    RuleSeed("学校管理与师德", "dept:jw", "function", categories=("education.school-management",),
             why="涉及教师个人，派单员核实后派单"),
    RuleSeed("教育（市教委）", "dept:jw", "function", categories=("education",), mode=AUTO,
             why="教育部门负责"),

    # --- 医疗卫生 ------------------------------------------------------------------------------------
    RuleSeed("医保报销", "dept:ybj", "function", categories=("health.medical-insurance",), mode=AUTO,
             why="医疗保障部门负责"),
    RuleSeed("医疗卫生（市卫健委）", "dept:wjw", "function", categories=("health",), mode=AUTO,
             why="卫生健康部门负责"),

    # --- 社会治安 ------------------------------------------------------------------------------------
    RuleSeed("装修噪声", "street_office", "place", categories=("order.noise-social",),
             keywords=("装修", "装潢", "电钻"),
             why="物业制止、街道调解；未到街道的案件按社会生活噪声派给公安"),
    RuleSeed("社会生活噪声", "dept:gaj", "function", categories=("order.noise-social",),
             why="噪声污染防治法：公共场所社会生活噪声由公安机关查处；邻里噪声由街道调解"),
    RuleSeed("社会治安（市公安局）", "dept:gaj", "function", categories=("order",), mode=AUTO,
             why="公安机关负责；正在发生的违法犯罪请拨 110"),

    # --- 其他 ----------------------------------------------------------------------------------------
    RuleSeed("房屋征收与拆迁", "district_gov", "place", categories=("other.planning",), co=("dept:zrzyj",),
             keywords=("拆迁", "征收", "征地补偿", "强拆"),
             why="国有土地上房屋征收与补偿条例 Art. 4：市、县级人民政府负责本行政区域的房屋征收与补偿"),
    RuleSeed("规划与土地", "dept:zrzyj", "function", categories=("other.planning",),
             why="规划自然资源部门负责；涉及征收的由区政府"),
    RuleSeed("河湖与防汛", "dept:swj", "function", categories=("other.flood-control",), mode=AUTO,
             why="水务部门负责河湖管理和防汛"),

    # --- the rest ------------------------------------------------------------------------------------
    RuleSeed(CATCH_ALL, "district_gov", "unclear",
             why="北京市接诉即办工作条例 Art. 12：承办单位不明确但区已知的，派区政府协调"),
)
