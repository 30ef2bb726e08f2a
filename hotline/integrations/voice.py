"""What Twilio says and does on a call to the hotline, as TwiML. The caller hears Mandarin whatever language the
operators' screens are in, so the prompts are Chinese here rather than translated; the voice that speaks them
is chosen per language in the Twilio console (docs/deployment.md, "Twilio")."""
from __future__ import annotations

from dataclasses import dataclass

from twilio.twiml.voice_response import VoiceResponse

from hotline.domain.voice import MAX_MESSAGE_SECONDS

LANGUAGE = "zh-CN"
EMERGENCY = "如遇火警、急救、治安或交通事故等紧急情况，请挂机后拨打119、120、110或122。"


@dataclass(frozen=True)
class Urls:
    """Where Twilio posts next: absolute under HOTLINE_PUBLIC_URL, or relative to the URL it called."""
    menu: str
    dialed: str
    recorded: str
    transcription: str


@dataclass(frozen=True)
class Prompts:
    city: str
    hours: tuple[str, str]

    @property
    def greeting(self) -> str:
        return f"您好，这里是{self.city}12345政务服务便民热线。"

    @property
    def closed(self) -> str:
        return f"现在不是人工服务时间，人工服务时间为每天{self.hours[0]}至{self.hours[1]}。"


def operators(prompts: Prompts, number: str, urls: Urls, menu: bool = True) -> str:
    """In the voice hours: the greeting and the menu, then the operators' number rings. A caller who presses
    nothing simply waits for an operator (Gather falls through to Dial); `menu=False` after another key."""
    response = VoiceResponse()
    if menu:
        gather = response.gather(num_digits=1, action=urls.menu, method="POST", timeout=3)
        gather.say(prompts.greeting + "留言请按1；其他请稍候，正在为您转接人工服务。", language=LANGUAGE)
    else:
        response.say("正在为您转接人工服务，请稍候。", language=LANGUAGE)
    response.dial(number, action=urls.dialed, method="POST", timeout=30)
    return str(response)


def _why(prompts: Prompts, reason: str) -> str:
    """closed: outside the voice hours; busy: nobody answered, or no operators' number is set; chosen: pressed 1."""
    return {"closed": prompts.greeting + prompts.closed + EMERGENCY,
            "busy": "抱歉，话务员暂时无法接听。" + EMERGENCY,
            "chosen": ""}[reason]


def record(prompts: Prompts, urls: Urls, transcribe: bool, reason: str = "closed") -> str:
    """A voice message: why there is nobody now, what to say, the beep. Twilio posts the recording to
    `urls.recorded`; a caller who says nothing hears goodbye instead."""
    response = VoiceResponse()
    response.say(_why(prompts, reason) + "请在提示音后留言，说明您反映的问题和所在区、街道、详细地址，"
                 "说完请按井号键或直接挂机。", language=LANGUAGE)
    options = {"transcribe": True, "transcribe_callback": urls.transcription} if transcribe else {}
    response.record(max_length=MAX_MESSAGE_SECONDS, play_beep=True, finish_on_key="#", action=urls.recorded,
                    method="POST", **options)
    response.say("没有收到您的留言。再见。", language=LANGUAGE)
    response.hangup()
    return str(response)


def refuse(prompts: Prompts, reason: str = "closed") -> str:
    """No operator now and no voice mail for this number (blocked, or too many messages lately)."""
    response = VoiceResponse()
    response.say(_why(prompts, reason) + "现在无法为您录制留言，请在人工服务时间再拨。再见。", language=LANGUAGE)
    response.hangup()
    return str(response)


def thanks() -> str:
    response = VoiceResponse()
    response.say("您的留言已收到，工作人员会尽快处理。谢谢，再见。", language=LANGUAGE)
    response.hangup()
    return str(response)


def goodbye() -> str:
    """The call is over (an operator answered and hung up): nothing more to say."""
    response = VoiceResponse()
    response.hangup()
    return str(response)
