//! `shelter keys split` and `shelter keys recover`, as trustees would use them.

use std::process::Stdio;

use tokio::io::AsyncWriteExt;

use super::{SHELTER, scratch};

async fn shelter(args: &[&str], stdin: Option<&str>) -> (bool, String) {
    let mut child = tokio::process::Command::new(SHELTER)
        .args(args)
        .env_remove("DATABASE_URL")
        .env("RUST_LOG", "warn")
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    input.write_all(stdin.unwrap_or_default().as_bytes()).await.unwrap();
    drop(input);
    let output = child.wait_with_output().await.unwrap();
    let text = format!("{}{}", String::from_utf8_lossy(&output.stdout), String::from_utf8_lossy(&output.stderr));
    (output.status.success(), text)
}

/// The printed shares, one text each.
fn shares_in(printed: &str) -> Vec<String> {
    printed
        .split("Shelter master key, share ")
        .skip(1)
        .map(|s| format!("Shelter master key, share {}", s.trim_end()))
        .collect()
}

#[tokio::test]
async fn any_three_of_five_shares_rebuild_the_key_two_do_not_and_a_typo_is_named() {
    let (_dir, dir) = scratch();
    let key = dir.join("master.key");
    std::fs::write(&key, format!("{}\n", "ab".repeat(32))).unwrap();
    let key_arg = key.to_str().unwrap();
    let (ok, printed) =
        shelter(&["keys", "split", "--shares", "5", "--threshold", "3", "--master-key-file", key_arg], None).await;
    assert!(ok, "{printed}");
    let shares = shares_in(&printed);
    assert_eq!(shares.len(), 5, "{printed}");
    for (n, pick) in [[0, 1, 2], [4, 2, 0], [1, 3, 4]].iter().enumerate() {
        // From files…
        let files: Vec<String> = pick
            .iter()
            .map(|i| {
                let path = dir.join(format!("share-{n}-{i}.txt"));
                std::fs::write(&path, &shares[*i]).unwrap();
                path.to_str().unwrap().to_owned()
            })
            .collect();
        let out = dir.join(format!("rebuilt-{n}.key"));
        let mut args = vec!["keys", "recover", "--out", out.to_str().unwrap()];
        args.extend(files.iter().map(String::as_str));
        let (ok, said) = shelter(&args, None).await;
        assert!(ok, "{pick:?}: {said}");
        assert_eq!(std::fs::read_to_string(&out).unwrap(), std::fs::read_to_string(&key).unwrap(), "{pick:?}");
    }
    // …or typed on standard input.
    let typed = [shares[3].clone(), shares[0].clone(), shares[1].clone()].join("\n\n");
    let out = dir.join("typed.key");
    let (ok, said) = shelter(&["keys", "recover", "--out", out.to_str().unwrap()], Some(&typed)).await;
    assert!(ok, "{said}");
    assert_eq!(std::fs::read_to_string(&out).unwrap(), std::fs::read_to_string(&key).unwrap());

    let two = [shares[1].clone(), shares[4].clone()].join("\n");
    let out = dir.join("two.key");
    let (ok, said) = shelter(&["keys", "recover", "--out", out.to_str().unwrap()], Some(&two)).await;
    assert!(!ok && said.contains("2 shares given, 3 needed"), "{said}");
    assert!(!out.exists(), "no key file from too few shares");

    // Share 3 with its fifth word mistyped.
    let mut lines: Vec<String> = shares[2].lines().map(str::to_owned).collect();
    let mut words: Vec<&str> = lines[2].split_whitespace().collect();
    words[4] = "xylophonee";
    lines[2] = words.join(" ");
    let mistyped = lines.join("\n");
    let typo = [shares[0].clone(), mistyped, shares[4].clone()].join("\n");
    let (ok, said) = shelter(&["keys", "recover", "--out", out.to_str().unwrap()], Some(&typo)).await;
    assert!(!ok && said.contains("share 3: word 3 (\"xylophonee\") is not in the word list"), "{said}");
    let (ok, said) = shelter(
        &["keys", "recover", "--out", key_arg],
        Some(&[shares[0].clone(), shares[1].clone(), shares[2].clone()].join("\n")),
    )
    .await;
    assert!(!ok && said.contains("exists already"), "a key file is never overwritten: {said}");
}
