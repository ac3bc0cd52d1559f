"""amqtt plugins that enforce `broker.acl` inside the embedded broker.

amqtt checks topic plugins for PUBLISH packets but sends a client's last will
without asking them, so a device could otherwise plant a forged
`home/hub/availability` as its will. `WillGuardPlugin` closes that hole by
refusing, at connect time, a session whose will topic the ACL would refuse.
"""

from dataclasses import dataclass

from amqtt.contexts import Action
from amqtt.plugins.base import BaseAuthPlugin, BaseTopicPlugin
from amqtt.session import Session

from broker.acl import may_publish
from protocol import DEFAULT_ROOT


class HomeAclPlugin(BaseTopicPlugin):
    """Drops publishes that `may_publish` refuses; subscriptions are open."""

    @dataclass
    class Config:
        topic_root: str = DEFAULT_ROOT

    async def topic_filtering(
        self,
        *,
        session: Session | None = None,
        topic: str | None = None,
        action: Action | None = None,
    ) -> bool:
        if action != Action.PUBLISH:
            return True
        username = session.username if session else None
        allowed = topic is not None and may_publish(username, topic, self.config.topic_root)
        if not allowed:
            self.context.logger.warning("refused publish by %r to %r (ACL)", username, topic)
        return allowed


class WillGuardPlugin(BaseAuthPlugin):
    """Refuses a connection whose last will the ACL would not let it publish."""

    @dataclass
    class Config:
        topic_root: str = DEFAULT_ROOT

    async def authenticate(self, *, session: Session) -> bool | None:
        if not session.will_flag:
            return None  # no opinion: the password plugin decides
        if may_publish(session.username, session.will_topic or "", self.config.topic_root):
            return None
        self.context.logger.warning(
            "refused connection of %r: last will on %r is not allowed by the ACL",
            session.username,
            session.will_topic,
        )
        return False
