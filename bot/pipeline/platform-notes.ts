/**
 * What a platform asks of the people writing to the bot, said where they first meet it (the first
 * message in a group, 帮助). Only platforms that differ from "reply to the card, send photos" appear.
 */
const HOW_TO_WRITE: Record<string, string> = {
  wecom:
    '企业微信群内只有 @卫片执法助手 的消息才会被收到：请先 @卫片执法助手 再写内容（如「@卫片执法助手 JC2026450329001 已核查 违法 农村乱占耕地建房」），现场照片请与这段文字放在同一条消息里发送（图文混排），或私聊发给卫片执法助手（会关联到您刚上报的图斑）。',
  wechaty:
    '群内只有 @ 机器人的文字消息才会被收到：请先 @ 机器人再写内容（如「@机器人 JC2026450329001 已核查 违法 农村乱占耕地建房」）；现场照片直接发在已绑定的群里，或私聊发给机器人（会关联到您刚上报的图斑）。',
}

export function howToWrite(platform: string): string | undefined {
  return HOW_TO_WRITE[platform]
}
