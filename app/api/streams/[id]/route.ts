import { withSession } from "@/lib/auth";
import { noContent } from "@/lib/api/respond";
import { otherMethods } from "@/lib/api/methods";
import { stopMemberStream, streamParams } from "@/lib/playback";

// DELETE /api/streams/{id} - stop one of the member's streams, so another device may play
export const DELETE = withSession<{ id: string }>(async ({ params, user }) => {
  await stopMemberStream(user, streamParams.parse(params).id);
  return noContent();
});

// Every other method: a JSON 405 with Allow.
export const { GET, POST, PUT, PATCH, OPTIONS } = otherMethods("DELETE");
