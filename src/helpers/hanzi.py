"""Traditional characters read as simplified, one character for one (offsets into a text stay
valid): reports published in 繁體 are read by the importer's labels and the narrative rules alike."""

from __future__ import annotations

# Traditional forms of the characters of the official labels and headings, and of the words the
# narrative rules read (沒有…申請, 復議, 訴訟, 維持, 結轉, 收費 …).
TRADITIONAL = ("開开 與与 報报 機机 關关 請请 資资 訊讯 處处 結结 轉转 數数 辦办 門门 規规 範范 "
               "許许 罰罚 強强 費费 況况 複复 復复 議议 訟讼 訴诉 總总 計计 構构 業业 務务 組组 織织 "
               "國国 險险 穩稳 護护 權权 類类 過过 執执 詢询 現现 製制 補补 確确 訪访 舉举 無无 當当 "
               "認认 獲获 繳缴 納纳 維维 糾纠 審审 經经 後后 發发 廢废 條条 項项 決决 額额 單单 萬万 "
               "採采 購购 對对 內内 應应 續续 繼继 體体 題题 進进 責责 標标 區区 縣县 鄉乡 鎮镇 屬属 "
               "會会 員员 統统 據据 產产 號号 戶户 證证 評评 監监 問问 廣广 歲岁 這这 個个 將将 為为 從从 "
               "於于 沒没 駁驳 辭辞 徵征 遞递 閱阅 網网 傳传 調调 歸归")
SIMPLIFY = str.maketrans({p[0]: p[1] for p in TRADITIONAL.split()})


def simplified(text: str) -> str:
    """``text`` with the traditional forms of the kit's vocabulary simplified; same length."""
    return text.translate(SIMPLIFY)
