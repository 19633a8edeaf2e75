import * as cloudfront from "aws-cdk-lib/aws-cloudfront";
import { Construct } from "constructs";
import type { PublicKeyConfig } from "./config";

/** Props for {@link SigningKeyGroup}. */
export interface SigningKeyGroupProps {
  /**
   * Public keys to trust, one normally and two during a rotation: cookies signed with
   * the old key keep working until they expire while the app signs with the new one.
   */
  readonly publicKeys: readonly PublicKeyConfig[];
  /** `id` of the key the app signs with. */
  readonly activeKeyId: string;
}

/** The trusted key group of the `/media/*` behaviors, built from configured public keys. */
export class SigningKeyGroup extends Construct {
  readonly keyGroup: cloudfront.KeyGroup;
  /** The CloudFront-assigned ID of the active key: the app's CLOUDFRONT_KEY_PAIR_ID. */
  readonly activeKeyPairId: string;

  constructor(scope: Construct, id: string, props: SigningKeyGroupProps) {
    super(scope, id);
    if (props.publicKeys.length < 1 || props.publicKeys.length > 2) {
      throw new Error(
        `SigningKeyGroup takes one or two public keys, got ${props.publicKeys.length}`,
      );
    }
    const keys = props.publicKeys.map(
      (key) =>
        // The construct id carries the key's name, so adding a second key leaves the
        // first one's resource (and its CloudFront ID) untouched.
        [
          key.id,
          new cloudfront.PublicKey(this, `Key-${key.id}`, {
            encodedKey: key.pem.trim(),
            comment: `reelgate ${key.id}`,
          }),
        ] as const,
    );
    const active = keys.find(([keyId]) => keyId === props.activeKeyId);
    if (!active) throw new Error(`activeKeyId "${props.activeKeyId}" is not among the public keys`);
    this.activeKeyPairId = active[1].publicKeyId;
    this.keyGroup = new cloudfront.KeyGroup(this, "KeyGroup", {
      items: keys.map(([, key]) => key),
      comment: "Keys whose signed cookies and URLs unlock /media/*",
    });
  }
}
